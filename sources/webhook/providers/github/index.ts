import type { WebhookProvider } from '../../types.js';
import { GITHUB_TYPE_PREFIX, mapGitHub } from './mapping.js';
import { verifyHubSignature } from './verify.js';

/**
 * GitHubSource: repository / organization / App webhooks, Knative's YAML unchanged. `spec.eventTypes`
 * (when set) limits what is emitted — other events are answered 200 and dropped, as GitHub would not
 * have sent them to a hook Knative created; a `ping` is answered without an event.
 */
export const githubProvider: WebhookProvider = {
  kind: 'GitHubSource',
  description: 'GitHub webhooks (X-Hub-Signature-256), Knative GitHubSource compatible',
  eventTypes: [`${GITHUB_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 0,
  maxBodyBytes: 25 * 1024 * 1024,
  specSchema: {
    type: 'object',
    properties: {
      ownerAndRepository: { type: 'string', pattern: '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?$' },
      eventTypes: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9_]+$' } },
      githubAPIURL: { type: 'string' },
    },
  },
  verify: (request, credentials) => verifyHubSignature(request, credentials),
  // As Knative's GitHubSource registers them: one per event of spec.eventTypes, from the repository.
  declaredEventTypes(spec) {
    if (typeof spec.ownerAndRepository !== 'string' || !Array.isArray(spec.eventTypes)) return [];
    return (spec.eventTypes as string[]).map((name) => ({ type: `${GITHUB_TYPE_PREFIX}${name}`, source: `https://github.com/${spec.ownerAndRepository as string}` }));
  },
  handshake(request) {
    if (request.headers['x-github-event'] !== 'ping') return undefined;
    return { status: 200, body: { ok: true, message: 'pong: the hook reaches Junction and its signature checks out' } };
  },
  map(request, context) {
    const ownerAndRepository = typeof context.spec.ownerAndRepository === 'string' ? context.spec.ownerAndRepository : undefined;
    const { deliveryId, event, name } = mapGitHub(request, ownerAndRepository);
    const wanted = Array.isArray(context.spec.eventTypes) ? (context.spec.eventTypes as string[]) : [];
    return { deliveryId, events: wanted.length === 0 || wanted.includes(name) ? [event] : [] };
  },
};
