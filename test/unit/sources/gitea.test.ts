import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isJunctionError } from '../../../core/errors.js';
import { giteaProvider } from '../../../sources/webhook/providers/gitea/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const SECRET = 'gitea-hook-secret';
const DELIVERY = 'f6266f16-1bf3-46a5-9ea4-602e06ead473';
const repository = { id: 1, name: 'webhooks', full_name: 'gitea/webhooks', html_url: 'http://localhost:3000/gitea/webhooks' };
const sender = { id: 1, login: 'gitea', username: 'gitea' };

const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

/** A request as Gitea sends it (hex HMAC-SHA256, no prefix; no SDK exists): under `prefix`'s header names. */
function delivery(event: string, payload: unknown, prefix = 'gitea') {
  const body = JSON.stringify(payload);
  return webhookRequest(body, { 'content-type': 'application/json', [`x-${prefix}-event`]: event, [`x-${prefix}-delivery`]: DELIVERY, [`x-${prefix}-signature`]: sign(body) });
}

const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isJunctionError(error) ? error.code : 'not a JunctionError';
  }
  return 'no error';
};

describe('GiteaSource verification', () => {
  it('accepts X-Gitea-Signature, X-Forgejo-Signature and X-Gogs-Signature (hex HMAC-SHA256 of the body)', () => {
    for (const prefix of ['gitea', 'forgejo', 'gogs']) expect(giteaProvider.verify(delivery('push', { repository }, prefix), { secret: SECRET }, webhookContext())).toEqual({ ok: true });
  });

  it('refuses a forged body, another secret, a prefixed or non-hex signature and a missing one', () => {
    const request = delivery('push', { repository });
    const forged = { ...request, body: Buffer.from(request.body.toString().replace('webhooks', 'webhookz')) };
    expect(giteaProvider.verify(forged, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(giteaProvider.verify(request, { secret: 'another' }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    const { 'x-gitea-signature': signature, ...unsigned } = request.headers;
    expect(giteaProvider.verify({ ...request, headers: { ...unsigned, 'x-gitea-signature': `sha256=${signature}` } }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(giteaProvider.verify({ ...request, headers: { ...unsigned, 'x-gitea-signature': 'zz' } }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(giteaProvider.verify({ ...request, headers: unsigned }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'missing' });
  });
});

describe('GiteaSource mapping', () => {
  it('maps a push: type io.gitea.push, id = X-Gitea-Delivery, source the repository, subject the new head', () => {
    const push = { ref: 'refs/heads/main', before: '28e1879d029cb852e4844d9c718537df08844e03', after: 'bffeb74224043ba2feb48d137756c8a9331c449a', repository, sender };
    const { deliveryId, events } = giteaProvider.map(delivery('push', push), webhookContext());
    expect(deliveryId).toBe(DELIVERY);
    expect(events).toEqual([expect.objectContaining({
      id: DELIVERY, type: 'io.gitea.push', source: 'http://localhost:3000/gitea/webhooks', subject: 'bffeb74224043ba2feb48d137756c8a9331c449a',
      datacontenttype: 'application/json', extensions: { repository: 'gitea/webhooks', sender: 'gitea' },
    })]);
  });

  it('maps pull requests, issues, comments and releases (also from Forgejo headers) with their subjects and action', () => {
    const map = (event: string, payload: Record<string, unknown>, prefix?: string) => giteaProvider.map(delivery(event, { repository, sender, ...payload }, prefix), webhookContext()).events[0]!;
    expect(map('pull_request', { action: 'opened', number: 2, pull_request: { number: 2 } }, 'forgejo')).toMatchObject({ type: 'io.gitea.pull_request', subject: '2', extensions: { action: 'opened' } });
    expect(map('issues', { action: 'closed', issue: { number: 7 } })).toMatchObject({ type: 'io.gitea.issues', subject: '7' });
    expect(map('issue_comment', { action: 'created', issue: { number: 7 }, comment: { id: 11 } })).toMatchObject({ type: 'io.gitea.issue_comment', subject: '7' });
    expect(map('pull_request_approved', { action: 'reviewed', pull_request: { number: 3 } }, 'gogs')).toMatchObject({ type: 'io.gitea.pull_request_approved', subject: '3' });
    expect(map('release', { action: 'published', release: { tag_name: 'v1.2.0' } })).toMatchObject({ type: 'io.gitea.release', subject: 'v1.2.0' });
  });

  it('refuses an unreadable body, a missing event or delivery and a bad event name with JUNCTION_WEBHOOK_PAYLOAD_INVALID', () => {
    expect(code(() => giteaProvider.map(webhookRequest('{oops', { 'x-gitea-event': 'push', 'x-gitea-delivery': DELIVERY }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => giteaProvider.map(webhookRequest('{}', { 'x-gitea-delivery': DELIVERY }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => giteaProvider.map(webhookRequest('{}', { 'x-gitea-event': 'push' }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => giteaProvider.map(webhookRequest('{}', { 'x-gitea-event': 'Push Hook', 'x-gitea-delivery': DELIVERY }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
  });
});
