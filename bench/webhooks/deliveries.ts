import { createHmac } from 'node:crypto';

/** The namespace, broker and push sources bench/webhooks sets up. */
export const NAMESPACE = 'bench';
export const SECRET = 'bench-webhook-secret-0123456789abcdef';

/** One request of a setup: its headers and body. */
export interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/** One measured setup: the path its requests are POSTed to, and the request whose CloudEvent id is `id`. */
export interface Setup {
  key: 'github' | 'open' | 'broker';
  name: string;
  path: string;
  delivery(id: string): Delivery;
}

/**
 * A GitHub `push` payload of about `bytes` bytes (UTF-8, ASCII only), carrying `id` so every
 * body, and so every signature, differs: the load generator signs each request as GitHub would.
 */
export function pushPayload(id: string, bytes: number): string {
  const payload = {
    ref: 'refs/heads/main',
    before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    after: id,
    compare: `https://github.com/octo-org/octo-repo/compare/6113728f27ae...${id}`,
    repository: { id: 35129377, name: 'octo-repo', full_name: 'octo-org/octo-repo', html_url: 'https://github.com/octo-org/octo-repo', owner: { login: 'octo-org' } },
    pusher: { name: 'octocat', email: 'octocat@example.com' },
    sender: { login: 'octocat', id: 583231 },
    commits: [{ id, message: '' }],
  };
  const bare = JSON.stringify(payload).length;
  payload.commits[0]!.message = 'x'.repeat(Math.max(0, bytes - bare));
  return JSON.stringify(payload);
}

/** GitHub's signature: `sha256=` + hex HMAC-SHA256 of the body, keyed with the hook's secret. */
function hubSignature(body: string): string {
  return `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
}

function githubHeaders(id: string, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/bench',
    'x-github-event': 'push',
    'x-github-delivery': id,
    'x-hub-signature-256': hubSignature(body),
  };
}

/** The three setups of one run, with bodies of `bytes` bytes. */
export function setups(bytes: number): Setup[] {
  return [
    {
      key: 'github',
      name: '1. GitHubSource (verify + dedupe)',
      path: `/sources/${NAMESPACE}/github`,
      delivery(id) {
        const body = pushPayload(id, bytes);
        return { body, headers: githubHeaders(id, body) };
      },
    },
    {
      // The same signed requests; the source does not check the signature (auth none).
      key: 'open',
      name: '2. WebhookSource auth none (dedupe only)',
      path: `/sources/${NAMESPACE}/open`,
      delivery(id) {
        const body = pushPayload(id, bytes);
        return { body, headers: githubHeaders(id, body) };
      },
    },
    {
      key: 'broker',
      name: '3. broker ingress, binary CloudEvents (baseline)',
      path: `/${NAMESPACE}/default`,
      delivery(id) {
        return {
          body: pushPayload(id, bytes),
          headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': 'https://github.com/octo-org/octo-repo', 'ce-type': 'dev.knative.source.github.push' },
        };
      },
    },
  ];
}

/** The Secret and the two push sources (`github`, `open`), both sinking into the broker `default`. */
export function sourceResources(): Array<{ path: string; resource: Record<string, unknown> }> {
  const sink = { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } };
  return [
    {
      path: `/api/v1/namespaces/${NAMESPACE}/secrets/github`,
      resource: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'github', namespace: NAMESPACE }, stringData: { secretToken: SECRET } },
    },
    {
      path: `/apis/sources.knative.dev/v1alpha1/namespaces/${NAMESPACE}/githubsources/github`,
      resource: {
        apiVersion: 'sources.knative.dev/v1alpha1', kind: 'GitHubSource', metadata: { name: 'github', namespace: NAMESPACE },
        spec: { ownerAndRepository: 'octo-org/octo-repo', secretToken: { secretKeyRef: { name: 'github', key: 'secretToken' } }, sink },
      },
    },
    {
      // Dedupe cannot be switched off (every push source remembers its delivery ids): keyed on the
      // same header as GitHub's, so it does the same KV read and write as setup 1.
      path: `/apis/sources.junction.dev/v1/namespaces/${NAMESPACE}/webhooksources/open`,
      resource: {
        apiVersion: 'sources.junction.dev/v1', kind: 'WebhookSource', metadata: { name: 'open', namespace: NAMESPACE },
        spec: { auth: { type: 'none' }, idFrom: { header: 'x-github-delivery' }, typeFrom: { header: 'x-github-event' }, typePrefix: 'dev.knative.source.github.', source: 'https://github.com/octo-org/octo-repo', sink },
      },
    },
  ];
}
