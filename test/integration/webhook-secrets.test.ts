import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const NAMESPACE = 'secrets';
const secret = (value: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'github', namespace: NAMESPACE }, stringData: { token: value } });

describe('a push source’s signing secret', () => {
  let junction: TestJunction;
  const post = async (key: string) => {
    const body = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'octo-org/octo-repo' } });
    return junction.post(`/sources/${NAMESPACE}/repo`, body, { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign(key, body) });
  };
  beforeAll(async () => {
    junction = await startTestJunction();
    await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace: NAMESPACE } });
    await junction.apply(secret('first-secret-value'));
    await junction.apply({
      apiVersion: 'sources.knative.dev/v1alpha1',
      kind: 'GitHubSource',
      metadata: { name: 'repo', namespace: NAMESPACE },
      spec: { ownerAndRepository: 'octo-org/octo-repo', eventTypes: ['push'], secretToken: { secretKeyRef: { name: 'github', key: 'token' } }, sink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } } },
    });
    await junction.waitReady('githubsources', NAMESPACE, 'repo', 'sources.knative.dev/v1alpha1');
  });
  afterAll(() => junction?.stop());

  it('takes effect on the next request when rotated, and a deleted Secret makes the source answer 503 (the provider retries)', async () => {
    expect((await post('first-secret-value')).status).toBe(200);
    await junction.apply(secret('second-secret-value'));
    const old = await post('first-secret-value');
    expect(old.status).toBe(401);
    expect(old.json.code).toBe('JUNCTION_WEBHOOK_SIGNATURE_INVALID');
    expect((await post('second-secret-value')).status).toBe(200);
    await junction.call('DELETE', `/api/v1/namespaces/${NAMESPACE}/secrets/github`);
    await eventually(async () => {
      const answer = await post('second-secret-value');
      expect(answer.status).toBe(503);
      expect(answer.json.code).toBe('JUNCTION_SOURCE_NOT_READY');
    });
  });

  it('never shows the secret in the source, its status, the Secret as read back, or the refusal', async () => {
    await junction.apply(secret('third-secret-value'));
    await junction.waitReady('githubsources', NAMESPACE, 'repo', 'sources.knative.dev/v1alpha1');
    const outputs = [
      (await junction.call('GET', `/apis/sources.knative.dev/v1alpha1/namespaces/${NAMESPACE}/githubsources/repo`)).text,
      (await junction.call('GET', `/api/v1/namespaces/${NAMESPACE}/secrets/github`)).text,
      (await junction.call('GET', `/api/v1/namespaces/${NAMESPACE}/secrets`)).text,
      (await post('wrong')).text,
    ];
    for (const text of outputs) {
      expect(text).not.toContain('third-secret-value');
      expect(text).not.toContain(Buffer.from('third-secret-value').toString('base64'));
    }
  });
});
