import { Readable } from 'node:stream';
import { sign } from '@octokit/webhooks-methods';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const NAMESPACE = 'limits';
const MIB = 1024 * 1024;
const sink = { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } };

describe('push sources limit the body per kind, before reading it all', () => {
  let junction: TestJunction;
  beforeAll(async () => {
    junction = await startTestJunction();
    await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace: NAMESPACE } });
    await junction.apply({ apiVersion: 'sources.junction.dev/v1', kind: 'WebhookSource', metadata: { name: 'open', namespace: NAMESPACE }, spec: { auth: { type: 'none' }, sink } });
    await junction.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gh', namespace: NAMESPACE }, stringData: { token: 'gh-secret' } });
    await junction.apply({ apiVersion: 'sources.knative.dev/v1alpha1', kind: 'GitHubSource', metadata: { name: 'repo', namespace: NAMESPACE }, spec: { ownerAndRepository: 'o/r', eventTypes: ['push'], secretToken: { secretKeyRef: { name: 'gh', key: 'token' } }, sink } });
    await junction.waitReady('webhooksources', NAMESPACE, 'open', 'sources.junction.dev/v1');
    await junction.waitReady('githubsources', NAMESPACE, 'repo', 'sources.knative.dev/v1alpha1');
  });
  afterAll(() => junction?.stop());

  const json = (bytes: number) => JSON.stringify({ pad: 'x'.repeat(bytes - 10) });

  it('answers 413 JUNCTION_EVENT_TOO_LARGE past the kind’s limit (1 MiB by default), declared or chunked; accepts up to it', async () => {
    expect((await junction.post(`/sources/${NAMESPACE}/open`, json(MIB - 100), { 'content-type': 'application/json' })).status).toBe(200);
    const declared = await junction.post(`/sources/${NAMESPACE}/open`, json(MIB + 100), { 'content-type': 'application/json' });
    expect(declared.status).toBe(413);
    expect(declared.json.code).toBe('JUNCTION_EVENT_TOO_LARGE');
    expect(declared.json.detail).toContain('WebhookSource limit');
    // No content-length: the bytes are counted as they stream in.
    async function* chunks() {
      for (let sent = 0; sent < 2 * MIB; sent += 64 * 1024) yield Buffer.alloc(64 * 1024, 0x61);
    }
    const chunked = await request(`${junction.url}/sources/${NAMESPACE}/open`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Readable.from(chunks()) });
    expect(chunked.statusCode).toBe(413);
    expect(((await chunked.body.json()) as { code: string }).code).toBe('JUNCTION_EVENT_TOO_LARGE');
  });

  it('gives GitHub its 25 MiB limit (a 2 MiB delivery is accepted), and refuses a compressed body with 415', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/main', pad: 'y'.repeat(2 * MIB) });
    const answer = await junction.post(`/sources/${NAMESPACE}/repo`, body, { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'big-1', 'x-hub-signature-256': await sign('gh-secret', body) });
    expect(answer.status, answer.text).toBe(200);
    const gzip = await junction.post(`/sources/${NAMESPACE}/open`, '{}', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(415);
    expect(gzip.json.code).toBe('JUNCTION_CONTENT_ENCODING_UNSUPPORTED');
  });
});
