import { sign, verify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { githubProvider } from '../../../sources/webhook/providers/github/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const SECRET = 'It’s a Secret to Everybody';

async function signed(event: string, payload: unknown, headers: Record<string, string> = {}) {
  const body = JSON.stringify(payload);
  return webhookRequest(body, { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'x-hub-signature-256': await sign(SECRET, body), ...headers });
}

describe('GitHubSource verification', () => {
  it('accepts X-Hub-Signature-256 made by @octokit/webhooks-methods, and GitHub’s documented test vector', async () => {
    const request = await signed('push', { ref: 'refs/heads/main' });
    expect(githubProvider.verify(request, { secret: SECRET }, webhookContext())).toEqual({ ok: true });
    // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!".
    const vector = webhookRequest('Hello, World!', { 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' });
    expect(await verify("It's a Secret to Everybody", 'Hello, World!', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17')).toBe(true);
    expect(githubProvider.verify(vector, { secret: "It's a Secret to Everybody" }, webhookContext())).toEqual({ ok: true });
  });

  it('refuses a changed body, another secret, a missing header and a malformed one', async () => {
    const request = await signed('push', { ref: 'refs/heads/main' });
    const forged = { ...request, body: Buffer.from(request.body.toString().replace('main', 'mainx')) };
    expect(githubProvider.verify(forged, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(githubProvider.verify(request, { secret: 'another' }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    const { 'x-hub-signature-256': _dropped, ...unsigned } = request.headers;
    expect(githubProvider.verify({ ...request, headers: unsigned }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'missing' });
    // Only the SHA-1 header: not accepted (GitHub always sends SHA-256 beside it).
    expect(githubProvider.verify({ ...request, headers: { ...unsigned, 'x-hub-signature': 'sha1=00' } }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'missing' });
    expect(githubProvider.verify({ ...request, headers: { ...unsigned, 'x-hub-signature-256': 'sha256=zz' } }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(githubProvider.verify({ ...request, headers: { ...unsigned, 'x-hub-signature-256': 'md5=00' } }, { secret: SECRET }, webhookContext())).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('GitHubSource mapping (Knative GitHubSource’s attributes)', () => {
  const repository = { name: 'Hello-World', full_name: 'Codertocat/Hello-World', owner: { login: 'Codertocat' } };

  it('maps a push: type from X-GitHub-Event, id = X-GitHub-Delivery, subject the compare range, owner/repository/sender', async () => {
    const request = await signed('push', { ref: 'refs/tags/simple-tag', compare: 'https://github.com/Codertocat/Hello-World/compare/6113728f27ae...000000000000', repository, sender: { login: 'Codertocat' } });
    const { deliveryId, events } = githubProvider.map(request, webhookContext({ ownerAndRepository: 'Codertocat/Hello-World' }));
    expect(deliveryId).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(events).toEqual([expect.objectContaining({
      id: '72d3162e-cc78-11e3-81ab-4c9367dc0958', type: 'dev.knative.source.github.push', source: 'https://github.com/Codertocat/Hello-World',
      subject: '6113728f27ae...000000000000', datacontenttype: 'application/json', extensions: { owner: 'Codertocat', repository: 'Hello-World', sender: 'Codertocat' },
    })]);
    expect((events[0]!.data as { ref: string }).ref).toBe('refs/tags/simple-tag');
  });

  it('maps issues, pull requests and comments with their subjects and action', async () => {
    const context = webhookContext();
    const issue = githubProvider.map(await signed('issues', { action: 'opened', issue: { number: 1347 }, repository }), context).events[0]!;
    expect(issue).toMatchObject({ subject: '1347', source: 'https://github.com/Codertocat/Hello-World', extensions: { action: 'opened' } });
    const pull = githubProvider.map(await signed('pull_request', { action: 'closed', number: 2, pull_request: { number: 2 }, repository }), context).events[0]!;
    expect(pull.subject).toBe('2');
    const comment = githubProvider.map(await signed('issue_comment', { action: 'created', comment: { html_url: 'https://github.com/Codertocat/Hello-World/issues/2#issuecomment-393304133' }, repository }), context).events[0]!;
    expect(comment.subject).toBe('2#issuecomment-393304133');
    const org = githubProvider.map(await signed('organization', { action: 'member_added', organization: { login: 'octo-org' } }), context).events[0]!;
    expect(org).toMatchObject({ source: 'https://github.com/octo-org', subject: 'member_added', extensions: { owner: 'octo-org', action: 'member_added' } });
  });

  it('reads form-encoded deliveries (payload=…) the same as JSON', async () => {
    const payload = JSON.stringify({ action: 'opened', issue: { number: 7 }, repository });
    const body = new URLSearchParams({ payload }).toString();
    const request = webhookRequest(body, { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'issues', 'x-github-delivery': 'd-1', 'x-hub-signature-256': await sign(SECRET, body) });
    expect(githubProvider.verify(request, { secret: SECRET }, webhookContext())).toEqual({ ok: true });
    expect(githubProvider.map(request, webhookContext()).events[0]).toMatchObject({ id: 'd-1', subject: '7' });
  });

  it('drops events outside spec.eventTypes (answered, not emitted) and answers ping as a handshake', async () => {
    const context = webhookContext({ eventTypes: ['push'] });
    expect(githubProvider.map(await signed('issues', { issue: { number: 1 }, repository }), context)).toEqual({ deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', events: [] });
    expect(githubProvider.map(await signed('push', { repository }), context).events).toHaveLength(1);
    const ping = await signed('ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    expect(await githubProvider.handshake!(ping, { secret: SECRET }, context)).toMatchObject({ status: 200 });
    expect(await githubProvider.handshake!(await signed('push', { repository }), { secret: SECRET }, context)).toBeUndefined();
  });

  it('refuses a delivery it cannot read with JUNCTION_WEBHOOK_PAYLOAD_INVALID', async () => {
    const context = webhookContext();
    expect(() => githubProvider.map(webhookRequest('{not json', { 'x-github-event': 'push', 'x-github-delivery': 'd' }), context)).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => githubProvider.map(webhookRequest('{}', { 'x-github-event': 'push' }), context)).toThrow(/x-github-delivery/);
    expect(() => githubProvider.map(webhookRequest('{}', { 'x-github-event': 'Push Hook', 'x-github-delivery': 'd' }), context)).toThrow(/not a GitHub event name/);
  });
});

describe('GitHubSource declared event types', () => {
  it('declares one EventType per spec.eventTypes entry from the repository, as Knative registers them', () => {
    expect(githubProvider.declaredEventTypes!({ ownerAndRepository: 'octo-org/octo-repo', eventTypes: ['push', 'pull_request'] })).toEqual([
      { type: 'dev.knative.source.github.push', source: 'https://github.com/octo-org/octo-repo' },
      { type: 'dev.knative.source.github.pull_request', source: 'https://github.com/octo-org/octo-repo' },
    ]);
    expect(githubProvider.declaredEventTypes!({ eventTypes: ['push'] })).toEqual([]);
  });
});
