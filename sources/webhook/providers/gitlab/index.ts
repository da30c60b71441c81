import type { WebhookProvider } from '../../types.js';
import { GITLAB_TYPE_PREFIX, HOOKS_BY_EVENT_TYPE, mapGitLab } from './mapping.js';
import { verifyGitLab } from './verify.js';

/**
 * GitLabSource: project / group / system hooks, Knative's YAML unchanged. `spec.eventTypes` (Knative's
 * names, e.g. `push_events`) limits what is emitted — other hooks are answered 200 and dropped, as
 * GitLab would not have sent them to the hook Knative created. The 300 s window applies to signed
 * (signing-token) requests only: the secret token carries no time.
 */
export const gitlabProvider: WebhookProvider = {
  kind: 'GitLabSource',
  description: 'GitLab webhooks (signing token or X-Gitlab-Token), Knative GitLabSource compatible',
  eventTypes: [`${GITLAB_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 300,
  maxBodyBytes: 25 * 1024 * 1024,
  specSchema: {
    type: 'object',
    properties: {
      projectUrl: { type: 'string', pattern: '^https?://' },
      eventTypes: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9_]+$' } },
    },
  },
  verify: verifyGitLab,
  // As Knative's GitLabSource registers them: one per hook of spec.eventTypes, from the project.
  declaredEventTypes(spec) {
    if (typeof spec.projectUrl !== 'string' || !Array.isArray(spec.eventTypes)) return [];
    const source = spec.projectUrl.replace(/\/+$/, '');
    return (spec.eventTypes as string[]).map((name) => HOOKS_BY_EVENT_TYPE[name]).filter((hook): hook is string => hook !== undefined).map((hook) => ({ type: `${GITLAB_TYPE_PREFIX}${hook}`, source }));
  },
  map(request, context) {
    const projectUrl = typeof context.spec.projectUrl === 'string' ? context.spec.projectUrl.replace(/\/+$/, '') : undefined;
    const { deliveryId, event, name } = mapGitLab(request, projectUrl);
    const wanted = Array.isArray(context.spec.eventTypes) ? (context.spec.eventTypes as string[]).map((type) => HOOKS_BY_EVENT_TYPE[type]) : [];
    return { deliveryId, events: wanted.length === 0 || wanted.includes(name) ? [event] : [] };
  },
};
