import { createHmac } from 'node:crypto';
import { WebhooksHelper } from 'square';
import { describe, expect, it } from 'vitest';
import { squareProvider } from '../../../sources/webhook/providers/square/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const KEY = 'Ibxx_5AKakO-3qeNVR61Dw';
const URL_ = 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9';
// The test notification of Square's own SDK tests: its signature was made by Square.
const TEST_NOTIFICATION = '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}';
const TEST_SIGNATURE = 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=';

const paymentCreated = JSON.stringify({
  merchant_id: '6SSW7HV8K2ST5', location_id: 'L88917AVBK2S5', type: 'payment.created', event_id: '13b867cf-db3d-4b1c-90b6-2f32a9d78124', created_at: '2020-02-06T21:27:30.792Z',
  data: { type: 'payment', id: 'KkAkhdMsgzn59SM8A89WgKwekxLZY', object: { payment: { id: 'KkAkhdMsgzn59SM8A89WgKwekxLZY', amount_money: { amount: 100, currency: 'USD' }, status: 'APPROVED' } } },
});

async function signed(body: string, url = URL_, key = KEY) {
  const signature = createHmac('sha256', key).update(url + body).digest('base64');
  expect(await WebhooksHelper.verifySignature({ requestBody: body, signatureHeader: signature, signatureKey: key, notificationUrl: url })).toBe(true);
  return webhookRequest(body, { 'content-type': 'application/json', 'x-square-hmacsha256-signature': signature, 'square-version': '2025-01-23' }, url);
}

describe('SquareSource verification', () => {
  const verify = (request: ReturnType<typeof webhookRequest>, secret = KEY) => squareProvider.verify(request, { secret }, webhookContext({}, 0));

  it('accepts the test notification signed by Square (the vector of the square SDK\'s tests)', () => {
    expect(verify(webhookRequest(TEST_NOTIFICATION, { 'x-square-hmacsha256-signature': TEST_SIGNATURE }, URL_))).toEqual({ ok: true });
  });

  it('accepts a signature the square SDK accepts, over the notification URL with its query', async () => {
    expect(verify(await signed(paymentCreated))).toEqual({ ok: true });
    expect(verify(await signed(paymentCreated, 'https://hooks.example.com/sources/default/square?shop=1'))).toEqual({ ok: true });
  });

  it('refuses a forged body, another URL, another key and a missing signature', async () => {
    const request = await signed(paymentCreated);
    expect(verify({ ...request, body: Buffer.from(paymentCreated.replace('100', '900')) })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify({ ...request, url: 'https://hooks.example.com/elsewhere' })).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringMatching(/publicUrl/) });
    expect(verify(request, 'another-key')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify({ ...request, headers: { 'content-type': 'application/json' } })).toMatchObject({ ok: false, reason: 'missing' });
    // The legacy SHA-1 header alone is not enough.
    const sha1 = createHmac('sha1', KEY).update(URL_ + paymentCreated).digest('base64');
    expect(verify(webhookRequest(paymentCreated, { 'x-square-signature': sha1 }, URL_))).toMatchObject({ ok: false, reason: 'missing' });
  });
});

describe('SquareSource mapping', () => {
  it('maps payment.created: com.squareup.<type>, id = event_id, the seller as source, data.id as subject, created_at', async () => {
    const { deliveryId, events } = squareProvider.map(await signed(paymentCreated), webhookContext());
    expect(deliveryId).toBe('13b867cf-db3d-4b1c-90b6-2f32a9d78124');
    expect(events).toEqual([{
      id: '13b867cf-db3d-4b1c-90b6-2f32a9d78124', type: 'com.squareup.payment.created', source: 'https://connect.squareup.com/6SSW7HV8K2ST5', subject: 'KkAkhdMsgzn59SM8A89WgKwekxLZY',
      time: '2020-02-06T21:27:30.792Z', datacontenttype: 'application/json', data: JSON.parse(paymentCreated), extensions: { merchantid: '6SSW7HV8K2ST5', objecttype: 'payment', locationid: 'L88917AVBK2S5' },
    }]);
  });

  it('maps the test notification, nanosecond created_at included', () => {
    expect(squareProvider.map(webhookRequest(TEST_NOTIFICATION, {}), webhookContext()).events[0]).toMatchObject({ type: 'com.squareup.webhooks.test_notification', id: 'ac3ac95b-f97d-458c-a6e6-18981597e05f', subject: 'bc368e64-01aa-407e-b46e-3231809b1129', time: '2022-07-13T20:30:59.037Z' });
  });

  it('refuses a body that is not a Square event', () => {
    expect(() => squareProvider.map(webhookRequest('{"type":"payment.created"}', {}), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => squareProvider.map(webhookRequest('<xml/>', {}), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
  });
});
