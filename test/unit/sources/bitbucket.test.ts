import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isJunctionError } from '../../../core/errors.js';
import { bitbucketProvider } from '../../../sources/webhook/providers/bitbucket/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const SECRET = 'bitbucket-webhook-secret';
const REQUEST_UUID = 'd7a4c5e2-3b1f-4a9e-8c6d-2f0e1b3a4c5d';
const repository = { type: 'repository', full_name: 'team_name/repo_name', name: 'repo_name', links: { html: { href: 'https://bitbucket.org/team_name/repo_name' } } };
const actor = { type: 'user', nickname: 'emmap', display_name: 'Emma' };

/** Signed as Bitbucket Cloud documents it: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>` (no SDK exists). */
function signed(key: string, payload: unknown, headers: Record<string, string> = {}, secret = SECRET) {
  const body = JSON.stringify(payload);
  return webhookRequest(body, { 'content-type': 'application/json', 'x-event-key': key, 'x-request-uuid': REQUEST_UUID, 'x-hook-uuid': '{4a5b6c7d}', 'x-attempt-number': '1', 'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`, ...headers });
}

const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isJunctionError(error) ? error.code : 'not a JunctionError';
  }
  return 'no error';
};

describe('BitbucketSource verification', () => {
  it('accepts X-Hub-Signature sha256=<hex> over the raw body; refuses a forged body, another secret, a missing or malformed header', () => {
    const request = signed('repo:push', { repository, actor });
    expect(bitbucketProvider.verify(request, { secret: SECRET }, webhookContext())).toEqual({ ok: true });
    const forged = { ...request, body: Buffer.from(request.body.toString().replace('repo_name', 'repo_namx')) };
    expect(bitbucketProvider.verify(forged, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(bitbucketProvider.verify(request, { secret: 'another' }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    const { 'x-hub-signature': _dropped, ...unsigned } = request.headers;
    expect(bitbucketProvider.verify({ ...request, headers: unsigned }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'missing' });
    expect(bitbucketProvider.verify({ ...request, headers: { ...unsigned, 'x-hub-signature': 'sha1=00ff' } }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    // GitHub's name for the header is not Bitbucket's.
    expect(bitbucketProvider.verify({ ...request, headers: { ...unsigned, 'x-hub-signature-256': request.headers['x-hub-signature']! } }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'missing' });
  });
});

describe('BitbucketSource mapping', () => {
  it('maps a push: type org.bitbucket.repo.push, id = X-Request-UUID, source the repository, subject the new head commit', () => {
    const push = { push: { changes: [{ new: { type: 'branch', name: 'main', target: { hash: '709d658dc5b6d6afcd46049c2f332ee3f515a67d' } } }] }, repository, actor };
    const { deliveryId, events } = bitbucketProvider.map(signed('repo:push', push), webhookContext());
    expect(deliveryId).toBe(REQUEST_UUID);
    expect(events).toEqual([expect.objectContaining({
      id: REQUEST_UUID, type: 'org.bitbucket.repo.push', source: 'https://bitbucket.org/team_name/repo_name',
      subject: '709d658dc5b6d6afcd46049c2f332ee3f515a67d', datacontenttype: 'application/json', extensions: { repository: 'team_name/repo_name', actor: 'emmap' },
    })]);
  });

  it('maps pull requests, issues and commit statuses with their subjects', () => {
    const map = (key: string, payload: Record<string, unknown>) => bitbucketProvider.map(signed(key, { repository, actor, ...payload }), webhookContext()).events[0]!;
    expect(map('pullrequest:created', { pullrequest: { id: 42, title: 'Fix' } })).toMatchObject({ type: 'org.bitbucket.pullrequest.created', subject: '42' });
    expect(map('pullrequest:comment_created', { pullrequest: { id: 42 }, comment: { id: 7 } })).toMatchObject({ type: 'org.bitbucket.pullrequest.comment_created', subject: '42' });
    expect(map('issue:updated', { issue: { id: 3 } })).toMatchObject({ type: 'org.bitbucket.issue.updated', subject: '3' });
    expect(map('repo:commit_status_updated', { commit_status: { state: 'SUCCESSFUL', commit: { hash: 'abc123' } } })).toMatchObject({ type: 'org.bitbucket.repo.commit_status_updated', subject: 'abc123' });
    expect(map('repo:fork', { fork: { full_name: 'someone/repo_name' } })).toMatchObject({ type: 'org.bitbucket.repo.fork', subject: undefined });
  });

  it('refuses an unreadable body, a missing X-Event-Key or request id with JUNCTION_WEBHOOK_PAYLOAD_INVALID', () => {
    expect(code(() => bitbucketProvider.map(webhookRequest('{oops', { 'x-event-key': 'repo:push', 'x-request-uuid': REQUEST_UUID }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => bitbucketProvider.map(webhookRequest('{}', { 'x-request-uuid': REQUEST_UUID }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => bitbucketProvider.map(webhookRequest('{}', { 'x-event-key': 'repo:push' }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => bitbucketProvider.map(webhookRequest('{}', { 'x-event-key': 'push', 'x-request-uuid': REQUEST_UUID }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
  });
});
