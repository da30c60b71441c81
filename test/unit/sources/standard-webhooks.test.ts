import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { hmac } from '../../../sources/index.js';
import { standardWebhooksProvider } from '../../../sources/webhook/providers/standard-webhooks/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = 1_765_000_000;
const ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';

function payload(overrides: Record<string, unknown> = {}) {
  return JSON.stringify({ type: 'invoice.paid', timestamp: '2025-12-06T05:46:38.000Z', data: { id: 'inv_1234', amount: 4200 }, ...overrides });
}
function signed(body: string, timestamp = NOW, secret = SECRET, id = ID) {
  const signature = new StandardWebhook(secret).sign(id, new Date(timestamp * 1000), body);
  return webhookRequest(body, { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature });
}
function svixSigned(body: string, timestamp = NOW) {
  const signature = new SvixWebhook(SECRET).sign(ID, new Date(timestamp * 1000), body);
  return webhookRequest(body, { 'content-type': 'application/json', 'svix-id': ID, 'svix-timestamp': String(timestamp), 'svix-signature': signature });
}

describe('StandardWebhooksSource verification', () => {
  const context = webhookContext({}, 300, NOW * 1000);

  it('accepts webhook-signature made by the standardwebhooks SDK, within 300 s either side', () => {
    expect(standardWebhooksProvider.verify(signed(payload()), { secret: SECRET }, context)).toEqual({ ok: true });
    expect(standardWebhooksProvider.verify(signed(payload(), NOW - 299), { secret: SECRET }, context)).toEqual({ ok: true });
    expect(standardWebhooksProvider.verify(signed(payload(), NOW + 299), { secret: SECRET }, context)).toEqual({ ok: true });
  });

  it('accepts svix-* headers signed by the svix SDK, and a secret given without the whsec_ prefix', () => {
    expect(standardWebhooksProvider.verify(svixSigned(payload()), { secret: SECRET }, context)).toEqual({ ok: true });
    expect(standardWebhooksProvider.verify(signed(payload()), { secret: SECRET.slice('whsec_'.length) }, context)).toEqual({ ok: true });
  });

  it('accepts any of several v1 signatures (a rotated secret) and ignores other versions; the SDK agrees', () => {
    // The SDK checks the timestamp against the real clock, so this header is made for now.
    const now = Math.floor(Date.now() / 1000);
    const body = payload();
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const good = hmac('sha256', key, `${ID}.${now}.${body}`).toString('base64');
    const old = hmac('sha256', Buffer.from('old-secret'), `${ID}.${now}.${body}`).toString('base64');
    const headers = { 'webhook-id': ID, 'webhook-timestamp': String(now), 'webhook-signature': `v1a,${old} v1,${old} v1,${good}` };
    expect(new StandardWebhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new SvixWebhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
    const nowContext = webhookContext({}, 300, now * 1000);
    expect(standardWebhooksProvider.verify(webhookRequest(body, headers), { secret: SECRET }, nowContext)).toEqual({ ok: true });
    expect(standardWebhooksProvider.verify(webhookRequest(body, { ...headers, 'webhook-signature': `v1a,${good} v2,${good} v1,${old}` }), { secret: SECRET }, nowContext)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses stale, forged, unsigned and malformed requests with the reason', () => {
    expect(standardWebhooksProvider.verify(signed(payload(), NOW - 301), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'stale' });
    const forged = { ...signed(payload()), body: Buffer.from(payload({ type: 'invoice.refunded' })) };
    expect(standardWebhooksProvider.verify(forged, { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    const otherId = signed(payload());
    expect(standardWebhooksProvider.verify({ ...otherId, headers: { ...otherId.headers, 'webhook-id': 'msg_other' } }, { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    // A wrongly signed old request is forged, not stale.
    expect(standardWebhooksProvider.verify(signed(payload(), NOW - 3600, 'whsec_b3RoZXJzZWNyZXQ='), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(standardWebhooksProvider.verify(webhookRequest(payload(), { 'webhook-id': ID, 'webhook-timestamp': String(NOW) }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'missing' });
    expect(standardWebhooksProvider.verify(webhookRequest(payload(), { 'webhook-id': ID, 'webhook-signature': 'v1,AAAA' }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(standardWebhooksProvider.verify(webhookRequest(payload(), { 'webhook-timestamp': String(NOW), 'webhook-signature': 'v1,AAAA' }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('StandardWebhooksSource mapping', () => {
  it('maps a delivery: <prefix>.<type>, id = webhook-id, source the source path, subject data.id, time = timestamp', () => {
    const { deliveryId, events } = standardWebhooksProvider.map(signed(payload()), webhookContext());
    expect(deliveryId).toBe(ID);
    expect(events).toEqual([{
      id: ID, type: 'com.standardwebhooks.invoice.paid', source: '/sources/default/hook', subject: 'inv_1234',
      time: '2025-12-06T05:46:38.000Z', datacontenttype: 'application/json', data: JSON.parse(payload()),
    }]);
  });

  it('uses spec.typePrefix and spec.source, svix-id for Svix, and <prefix>.webhook without a type', () => {
    const spec = { typePrefix: 'com.example.billing', source: 'https://billing.example.com' };
    expect(standardWebhooksProvider.map(svixSigned(payload()), webhookContext(spec)).events[0]).toMatchObject({ id: ID, type: 'com.example.billing.invoice.paid', source: 'https://billing.example.com' });
    const untyped = standardWebhooksProvider.map(signed(JSON.stringify({ hello: 'world' })), webhookContext()).events[0]!;
    expect(untyped).toMatchObject({ type: 'com.standardwebhooks.webhook', subject: undefined, time: undefined });
  });

  it('refuses a body that is not a JSON object', () => {
    expect(() => standardWebhooksProvider.map(signed('not json'), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => standardWebhooksProvider.map(signed('[1]'), webhookContext())).toThrow(/not a JSON object/);
  });
});
