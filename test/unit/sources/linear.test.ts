import { createHmac } from 'node:crypto';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { describe, expect, it } from 'vitest';
import { isJunctionError } from '../../../core/errors.js';
import { linearProvider } from '../../../sources/webhook/providers/linear/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const SECRET = 'lin_wh_0123456789abcdef0123456789abcdef';
const DELIVERY = '234d1a4e-b617-4388-90fe-adc3633d6b72';
const ORGANIZATION = '4cd3a1b2-88ef-4b1a-9c3d-0f1e2d3c4b5a';

function payload(timestampMs: number, extra: Record<string, unknown> = {}) {
  return {
    action: 'create', type: 'Issue', createdAt: '2026-12-06T21:10:00.000Z', organizationId: ORGANIZATION, webhookTimestamp: timestampMs, webhookId: '000042e3-d123-4980-b49f-8e140eef9329',
    url: 'https://linear.app/acme/issue/ENG-123/fix-the-build', actor: { id: 'u1', type: 'user', name: 'Ada' },
    data: { id: '2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9', identifier: 'ENG-123', title: 'Fix the build', team: { key: 'ENG' } }, ...extra,
  };
}

/** A delivery as Linear sends it, signed with node:crypto (the SDK only verifies). */
function delivery(body: string, secret = SECRET) {
  return webhookRequest(body, { 'content-type': 'application/json; charset=utf-8', 'linear-delivery': DELIVERY, 'linear-event': 'Issue', 'linear-signature': createHmac('sha256', secret).update(body).digest('hex') });
}

const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isJunctionError(error) ? error.code : 'not a JunctionError';
  }
  return 'no error';
};

describe('LinearSource verification', () => {
  it('accepts a signature @linear/sdk’s LinearWebhookClient verifies; refuses a forged body and another secret as the SDK does', () => {
    const now = Date.now();
    const body = JSON.stringify(payload(now));
    const request = delivery(body);
    const sdk = new LinearWebhookClient(SECRET);
    expect(sdk.verify(request.body, request.headers['linear-signature']!)).toBe(true);
    expect(linearProvider.verify(request, { secret: SECRET }, webhookContext({}, 60, now))).toEqual({ ok: true });

    const forged = Buffer.from(body.replace('Fix the build', 'Fix the buildz'));
    expect(() => sdk.verify(forged, request.headers['linear-signature']!)).toThrow(/signature/);
    expect(linearProvider.verify({ ...request, body: forged }, { secret: SECRET }, webhookContext({}, 60, now))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(linearProvider.verify(request, { secret: 'lin_wh_another' }, webhookContext({}, 60, now))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a correctly signed body whose webhookTimestamp is over 60 s away (stale), and one without a timestamp', () => {
    const now = Date.now();
    const old = delivery(JSON.stringify(payload(now - 61_000)));
    expect(() => new LinearWebhookClient(SECRET).verify(old.body, old.headers['linear-signature']!)).toThrow(/timestamp/);
    expect(linearProvider.verify(old, { secret: SECRET }, webhookContext({}, 60, now))).toMatchObject({ ok: false, reason: 'stale' });
    expect(linearProvider.verify(old, { secret: SECRET }, webhookContext({}, 60, now - 30_000))).toEqual({ ok: true });
    const untimed = delivery(JSON.stringify({ ...payload(now), webhookTimestamp: undefined }));
    expect(linearProvider.verify(untimed, { secret: SECRET }, webhookContext({}, 60, now))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a missing or non-hex Linear-Signature', () => {
    const request = delivery(JSON.stringify(payload(Date.now())));
    const { 'linear-signature': _dropped, ...unsigned } = request.headers;
    expect(linearProvider.verify({ ...request, headers: unsigned }, { secret: SECRET }, webhookContext({}, 60))).toMatchObject({ ok: false, reason: 'missing' });
    expect(linearProvider.verify({ ...request, headers: { ...unsigned, 'linear-signature': 'sha256=00' } }, { secret: SECRET }, webhookContext({}, 60))).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('LinearSource mapping', () => {
  it('maps an Issue create: type app.linear.issue.create, id = Linear-Delivery, source the workspace, subject data.id, time createdAt', () => {
    const { deliveryId, events } = linearProvider.map(delivery(JSON.stringify(payload(Date.parse('2026-12-06T21:10:01Z')))), webhookContext());
    expect(deliveryId).toBe(DELIVERY);
    expect(events).toEqual([expect.objectContaining({
      id: DELIVERY, type: 'app.linear.issue.create', source: `https://linear.app/${ORGANIZATION}`, subject: '2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9',
      time: '2026-12-06T21:10:00.000Z', datacontenttype: 'application/json',
      extensions: { webhookid: '000042e3-d123-4980-b49f-8e140eef9329', actor: 'Ada', url: 'https://linear.app/acme/issue/ENG-123/fix-the-build' },
    })]);
  });

  it('lower-cases compound types (IssueLabel, Comment remove) and falls back to webhookTimestamp for time', () => {
    const label = linearProvider.map(delivery(JSON.stringify(payload(Date.parse('2026-12-06T21:10:01Z'), { type: 'IssueLabel', action: 'update', createdAt: undefined, data: { id: 'lbl-1' } }))), webhookContext()).events[0]!;
    expect(label).toMatchObject({ type: 'app.linear.issuelabel.update', subject: 'lbl-1', time: '2026-12-06T21:10:01.000Z' });
    const comment = linearProvider.map(delivery(JSON.stringify(payload(Date.now(), { type: 'Comment', action: 'remove', data: { id: 'c-9' } }))), webhookContext()).events[0]!;
    expect(comment).toMatchObject({ type: 'app.linear.comment.remove', subject: 'c-9' });
  });

  it('refuses an unreadable body, a missing Linear-Delivery and a body without type/action with JUNCTION_WEBHOOK_PAYLOAD_INVALID', () => {
    expect(code(() => linearProvider.map(webhookRequest('{oops', { 'linear-delivery': DELIVERY }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => linearProvider.map(webhookRequest(JSON.stringify(payload(Date.now())), {}), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(code(() => linearProvider.map(webhookRequest(JSON.stringify({ data: { id: 'x' } }), { 'linear-delivery': DELIVERY }), webhookContext()))).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
  });
});
