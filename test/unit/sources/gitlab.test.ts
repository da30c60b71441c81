import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { isJunctionError } from '../../../core/errors.js';
import { gitlabProvider } from '../../../sources/webhook/providers/gitlab/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const TOKEN = 'gitlab-secret-token';
const SIGNING = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const UUID = '6b6f8b9f-2f0a-4d5c-9f41-3b6a8c1e2d7a';
const NOW = 1_765_000_000;

const push = { object_kind: 'push', checkout_sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', ref: 'refs/heads/main', user_username: 'jsmith', project: { web_url: 'https://gitlab.example.com/mike/diaspora', path_with_namespace: 'mike/diaspora' }, repository: { homepage: 'https://gitlab.example.com/mike/diaspora' } };

function tokenRequest(event: string, payload: unknown, headers: Record<string, string> = {}) {
  return webhookRequest(JSON.stringify(payload), { 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-event-uuid': UUID, 'x-gitlab-token': TOKEN, ...headers });
}

/** A request signed with a GitLab signing token by the standardwebhooks SDK (GitLab's scheme is Standard Webhooks). */
function signedRequest(payload: unknown, seconds = NOW, secret = SIGNING) {
  const body = JSON.stringify(payload);
  const signature = new Webhook(secret).sign(UUID, new Date(seconds * 1000), body);
  return webhookRequest(body, { 'x-gitlab-event': 'Push Hook', 'idempotency-key': UUID, 'webhook-id': UUID, 'webhook-timestamp': String(seconds), 'webhook-signature': signature });
}

describe('GitLabSource verification', () => {
  it('accepts X-Gitlab-Token equal to the secret token, refuses another one and its absence', () => {
    const request = tokenRequest('Push Hook', push);
    expect(gitlabProvider.verify(request, { secret: TOKEN }, webhookContext())).toEqual({ ok: true });
    expect(gitlabProvider.verify(tokenRequest('Push Hook', push, { 'x-gitlab-token': `${TOKEN}x` }), { secret: TOKEN }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    const { 'x-gitlab-token': _dropped, ...unsigned } = request.headers;
    expect(gitlabProvider.verify({ ...request, headers: unsigned }, { secret: TOKEN }, webhookContext())).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('accepts a signing-token signature the standardwebhooks SDK made and verifies; refuses a forged body, another key, a stale time', () => {
    const request = signedRequest(push);
    // The SDK's own verifier accepts what it signed (at NOW), so the test checks the real scheme.
    expect(() => new Webhook(SIGNING).verify(request.body, request.headers as Record<string, string>)).toThrow(/timestamp/i);
    const context = webhookContext({}, 300, NOW * 1000);
    expect(gitlabProvider.verify(request, { secret: SIGNING }, context)).toEqual({ ok: true });
    const fresh = signedRequest(push, Math.floor(Date.now() / 1000));
    expect(new Webhook(SIGNING).verify(fresh.body, fresh.headers as Record<string, string>)).toMatchObject({ object_kind: 'push' });

    const forged = { ...request, body: Buffer.from(request.body.toString().replace('main', 'mainx')) };
    expect(gitlabProvider.verify(forged, { secret: SIGNING }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(gitlabProvider.verify(request, { secret: 'whsec_b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXk=' }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(gitlabProvider.verify(request, { secret: SIGNING }, webhookContext({}, 300, (NOW + 301) * 1000))).toMatchObject({ ok: false, reason: 'stale' });
    // A signed request is held to its signature: a token beside a bad signature does not rescue it.
    expect(gitlabProvider.verify({ ...forged, headers: { ...forged.headers, 'x-gitlab-token': SIGNING } }, { secret: SIGNING }, context)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('accepts any of several signatures (a signing-token rotation)', () => {
    const request = signedRequest(push);
    const old = new Webhook('whsec_b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXk=').sign(UUID, new Date(NOW * 1000), request.body.toString());
    const rotated = { ...request, headers: { ...request.headers, 'webhook-signature': `${old} ${request.headers['webhook-signature']}` } };
    expect(gitlabProvider.verify(rotated, { secret: SIGNING }, webhookContext({}, 300, NOW * 1000))).toEqual({ ok: true });
  });
});

describe('GitLabSource mapping (Knative GitLabSource’s types)', () => {
  it('maps a push: type from X-Gitlab-Event, id = X-Gitlab-Event-UUID, deduplicated by Idempotency-Key (else the UUID), source spec.projectUrl, subject checkout_sha', () => {
    const { deliveryId, events } = gitlabProvider.map(tokenRequest('Push Hook', push, { 'idempotency-key': 'f8e7d6c5-0000-4000-8000-000000000001' }), webhookContext({ projectUrl: 'https://gitlab.example.com/mike/diaspora/' }));
    expect(deliveryId).toBe('f8e7d6c5-0000-4000-8000-000000000001');
    expect(events).toEqual([expect.objectContaining({
      id: UUID, type: 'dev.knative.sources.gitlab.push', source: 'https://gitlab.example.com/mike/diaspora',
      subject: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', datacontenttype: 'application/json', extensions: { comgitlabevent: 'Push Hook', project: 'mike/diaspora', user: 'jsmith' },
    })]);
    expect(gitlabProvider.map(tokenRequest('Push Hook', push), webhookContext()).events[0]).toMatchObject({ id: UUID, source: 'https://gitlab.example.com/mike/diaspora' });
  });

  it('names merge requests, pipelines, jobs, notes and tags with their subjects', () => {
    const project = push.project;
    const map = (event: string, payload: Record<string, unknown>) => gitlabProvider.map(tokenRequest(event, { project, ...payload }), webhookContext()).events[0]!;
    expect(map('Merge Request Hook', { object_kind: 'merge_request', user: { username: 'root' }, object_attributes: { id: 99, iid: 1, action: 'open' } })).toMatchObject({ type: 'dev.knative.sources.gitlab.merge_request', subject: '1', extensions: { action: 'open', user: 'root' } });
    expect(map('Pipeline Hook', { object_kind: 'pipeline', object_attributes: { id: 31, status: 'success' } })).toMatchObject({ type: 'dev.knative.sources.gitlab.pipeline', subject: '31' });
    expect(map('Job Hook', { object_kind: 'build', build_id: 1977 })).toMatchObject({ type: 'dev.knative.sources.gitlab.job', subject: '1977' });
    expect(map('Tag Push Hook', { object_kind: 'tag_push', ref: 'refs/tags/v1.0.0' })).toMatchObject({ type: 'dev.knative.sources.gitlab.tag_push', subject: 'refs/tags/v1.0.0' });
    expect(map('Note Hook', { object_kind: 'note', object_attributes: { id: 1243, created_at: '2015-05-17T18:08:09Z' } })).toMatchObject({ type: 'dev.knative.sources.gitlab.note', subject: '1243', time: '2015-05-17T18:08:09.000Z' });
    expect(map('Issue Hook', { object_kind: 'issue', object_attributes: { id: 301, iid: 23, action: 'close' } })).toMatchObject({ type: 'dev.knative.sources.gitlab.issue', subject: '23' });
  });

  it('emits only the hooks spec.eventTypes names (Knative’s names), dropping others', () => {
    const context = webhookContext({ eventTypes: ['merge_requests_events', 'pipeline_events'] });
    expect(gitlabProvider.map(tokenRequest('Push Hook', push), context)).toEqual({ deliveryId: UUID, events: [] });
    expect(gitlabProvider.map(tokenRequest('Pipeline Hook', { object_attributes: { id: 1 } }), context).events).toHaveLength(1);
  });

  it('refuses an unreadable body, a missing id and a header that is not a hook name with JUNCTION_WEBHOOK_PAYLOAD_INVALID', () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return isJunctionError(error) ? error.code : 'not a JunctionError';
      }
      return 'no error';
    };
    expect(code(() => gitlabProvider.map(webhookRequest('{oops', { 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': UUID }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => gitlabProvider.map(webhookRequest('{}', { 'x-gitlab-event': 'Push Hook' }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => gitlabProvider.map(webhookRequest('{}', { 'x-gitlab-event': 'push', 'x-gitlab-event-uuid': UUID }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
  });
});
