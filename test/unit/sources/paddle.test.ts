import { createHmac } from 'node:crypto';
import { Paddle } from '@paddle/paddle-node-sdk';
import { describe, expect, it } from 'vitest';
import { paddleProvider } from '../../../sources/webhook/providers/paddle/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const SECRET = 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI';
const NOW = 1_765_000_000;
const paddle = new Paddle('pdl_sdbx_apikey_01gtgztp8fz1fs9e1r7bb1xz2f_unittest');

const subscriptionCreated = JSON.stringify({
  event_id: 'evt_01h8bzakzx8uvsvxn5swqvjmsh', event_type: 'subscription.created', occurred_at: '2023-08-21T11:56:51.123456Z', notification_id: 'ntf_01h8bzam1zggbs6m8h4dtksxm9',
  data: { id: 'sub_01h8bzakzx8uvsvxn5swqvjmsh', status: 'active', customer_id: 'ctm_01h8441jn5pcwrfhwh78jqt8hk', currency_code: 'USD', items: [{ price: { id: 'pri_01gsz8x8sawmvhz1pv30nge1ke' }, quantity: 10 }] },
});

function h1(body: string, ts: number, secret = SECRET) {
  return createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex');
}
function signed(body: string, ts = NOW, secret = SECRET) {
  return webhookRequest(body, { 'content-type': 'application/json', 'paddle-signature': `ts=${ts};h1=${h1(body, ts, secret)}` });
}

describe('PaddleSource verification', () => {
  const context = webhookContext({}, 5, NOW * 1000);

  it('accepts a Paddle-Signature that the Paddle SDK accepts (signed now: the SDK reads the clock)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = `ts=${now};h1=${h1(subscriptionCreated, now)}`;
    expect(await paddle.webhooks.isSignatureValid(subscriptionCreated, SECRET, header)).toBe(true);
    expect(paddleProvider.verify(webhookRequest(subscriptionCreated, { 'paddle-signature': header }), { secret: SECRET }, webhookContext({}, 5, now * 1000))).toEqual({ ok: true });
    expect(await paddle.webhooks.isSignatureValid(subscriptionCreated, 'another-secret', header)).toBe(false);
  });

  it('accepts within 5 s either side, and any of several h1 while a secret is rotated', () => {
    for (const ts of [NOW, NOW - 5, NOW + 5]) expect(paddleProvider.verify(signed(subscriptionCreated, ts), { secret: SECRET }, context)).toEqual({ ok: true });
    const rotated = `ts=${NOW};h1=${h1(subscriptionCreated, NOW, 'old-secret')};h1=${h1(subscriptionCreated, NOW)}`;
    expect(paddleProvider.verify(webhookRequest(subscriptionCreated, { 'paddle-signature': rotated }), { secret: SECRET }, context)).toEqual({ ok: true });
  });

  it('refuses stale, forged, unsigned and malformed requests with the reason', () => {
    expect(paddleProvider.verify(signed(subscriptionCreated, NOW - 6), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'stale' });
    expect(paddleProvider.verify({ ...signed(subscriptionCreated), body: Buffer.from(subscriptionCreated.replace('active', 'paused')) }, { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(paddleProvider.verify(signed(subscriptionCreated, NOW - 3600, 'another-secret'), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(paddleProvider.verify(webhookRequest(subscriptionCreated, {}), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'missing' });
    expect(paddleProvider.verify(webhookRequest(subscriptionCreated, { 'paddle-signature': `h1=${h1(subscriptionCreated, NOW)}` }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(paddleProvider.verify(webhookRequest(subscriptionCreated, { 'paddle-signature': `ts=${NOW}` }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('PaddleSource mapping', () => {
  it('maps subscription.created: com.paddle.<event_type>, id = event_id, subject data.id, time occurred_at, extensions', () => {
    const { deliveryId, events } = paddleProvider.map(signed(subscriptionCreated), webhookContext());
    expect(deliveryId).toBe('evt_01h8bzakzx8uvsvxn5swqvjmsh');
    expect(events).toEqual([{
      id: 'evt_01h8bzakzx8uvsvxn5swqvjmsh', type: 'com.paddle.subscription.created', source: 'https://api.paddle.com', subject: 'sub_01h8bzakzx8uvsvxn5swqvjmsh', time: '2023-08-21T11:56:51.123Z',
      datacontenttype: 'application/json', data: JSON.parse(subscriptionCreated), extensions: { notificationid: 'ntf_01h8bzam1zggbs6m8h4dtksxm9', customerid: 'ctm_01h8441jn5pcwrfhwh78jqt8hk', status: 'active' },
    }]);
  });

  it('refuses a body that is not a Paddle notification', () => {
    expect(() => paddleProvider.map(webhookRequest('{"event_type":"transaction.paid"}', {}), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => paddleProvider.map(webhookRequest('alert_name=payment_succeeded', {}), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
  });
});
