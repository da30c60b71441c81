import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { hmac } from '../../../sources/index.js';
import { stripeProvider } from '../../../sources/webhook/providers/stripe/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const stripe = new Stripe('sk_test_unit');
const SECRET = 'whsec_test_0123456789abcdefghijklmnop';
const NOW = 1_765_000_000;

function event(overrides: Record<string, unknown> = {}) {
  return JSON.stringify({ id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', object: 'event', api_version: '2024-06-20', created: NOW - 2, livemode: false, type: 'payment_intent.succeeded', data: { object: { id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', object: 'payment_intent' } }, ...overrides });
}
function signed(body: string, timestamp = NOW, secret = SECRET) {
  return webhookRequest(body, { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }) });
}

describe('StripeSource verification', () => {
  const context = webhookContext({}, 300, NOW * 1000);

  it('accepts Stripe-Signature made by the stripe SDK, within 300 s either side', () => {
    expect(stripeProvider.verify(signed(event()), { secret: SECRET }, context)).toEqual({ ok: true });
    expect(stripeProvider.verify(signed(event(), NOW - 299), { secret: SECRET }, context)).toEqual({ ok: true });
    expect(stripeProvider.verify(signed(event(), NOW + 299), { secret: SECRET }, context)).toEqual({ ok: true });
  });

  it('accepts any of several v1 signatures (a secret being rolled), and the SDK agrees', () => {
    const body = event();
    const header = `t=${NOW},v1=${hmac('sha256', 'whsec_old', `${NOW}.${body}`).toString('hex')},v1=${hmac('sha256', SECRET, `${NOW}.${body}`).toString('hex')},v0=00`;
    expect(() => stripe.webhooks.constructEvent(body, header, SECRET, 300, undefined, NOW)).not.toThrow();
    expect(stripeProvider.verify(webhookRequest(body, { 'stripe-signature': header }), { secret: SECRET }, context)).toEqual({ ok: true });
  });

  it('refuses stale, forged, unsigned and malformed requests with the reason', () => {
    expect(stripeProvider.verify(signed(event(), NOW - 301), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'stale' });
    const forged = { ...signed(event()), body: Buffer.from(event({ type: 'charge.refunded' })) };
    expect(stripeProvider.verify(forged, { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(stripeProvider.verify(signed(event(), NOW, 'whsec_other'), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    // A forged signature with an old timestamp is refused as forged, not as stale.
    expect(stripeProvider.verify(signed(event(), NOW - 3600, 'whsec_other'), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(stripeProvider.verify(webhookRequest(event(), {}), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'missing' });
    expect(stripeProvider.verify(webhookRequest(event(), { 'stripe-signature': 'v1=abcd' }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(stripeProvider.verify(webhookRequest(event(), { 'stripe-signature': `t=${NOW},v0=abcd` }), { secret: SECRET }, context)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('StripeSource mapping', () => {
  it('maps a snapshot event: com.stripe.<type>, id = the event id, subject the object, time = created', () => {
    const { deliveryId, events } = stripeProvider.map(signed(event()), webhookContext());
    expect(deliveryId).toBe('evt_1NG8Du2eZvKYlo2CUI79vXWy');
    expect(events).toEqual([expect.objectContaining({
      id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', type: 'com.stripe.payment_intent.succeeded', source: 'https://api.stripe.com',
      subject: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', time: new Date((NOW - 2) * 1000).toISOString(), datacontenttype: 'application/json', extensions: { livemode: 'false' },
    })]);
  });

  it('names the connected account of a Connect event, and maps a thin event by its related object', () => {
    const connect = stripeProvider.map(signed(event({ account: 'acct_1032D82eZvKYlo2C', livemode: true })), webhookContext()).events[0]!;
    expect(connect).toMatchObject({ source: 'https://api.stripe.com/accounts/acct_1032D82eZvKYlo2C', extensions: { livemode: 'true', stripeaccount: 'acct_1032D82eZvKYlo2C' } });
    const thin = stripeProvider.map(signed(JSON.stringify({ id: 'evt_test_65R9', object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered', created: '2024-09-17T06:20:52.246Z', related_object: { id: 'mtr_test_61R9', type: 'billing.meter' } })), webhookContext()).events[0]!;
    expect(thin).toMatchObject({ type: 'com.stripe.v1.billing.meter.error_report_triggered', subject: 'mtr_test_61R9', time: '2024-09-17T06:20:52.246Z' });
  });

  it('refuses a body that is not a Stripe event', () => {
    expect(() => stripeProvider.map(webhookRequest('{"object":"event"}', {}), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => stripeProvider.map(webhookRequest('[]', {}), webhookContext())).toThrow(/not a JSON object/);
  });
});
