import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { describe, expect, it } from 'vitest';
import { sendgridProvider } from '../../../sources/webhook/providers/sendgrid/index.js';
import type { WebhookContext, WebhookRequest } from '../../../sources/webhook/types.js';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
/** The verification key as SendGrid's console shows it: base64 DER SubjectPublicKeyInfo. */
const publicKeyBase64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const NOW = 1_765_000_000;
const context = (now = NOW): WebhookContext => ({ namespace: 'default', name: 'mail', spec: {}, toleranceSeconds: sendgridProvider.toleranceSeconds, now: now * 1000 });
const webhook = new EventWebhook();

function request(body: string, signature: string | undefined, timestamp: string): WebhookRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-twilio-email-event-webhook-timestamp': timestamp };
  if (signature !== undefined) headers['x-twilio-email-event-webhook-signature'] = signature;
  return { method: 'POST', url: 'https://hooks.example.com/sources/default/mail', headers, body: Buffer.from(body) };
}
function signed(body: string, timestamp = NOW, key: KeyObject = privateKey): WebhookRequest {
  return request(body, sign('sha256', Buffer.from(`${timestamp}${body}`), key).toString('base64'), String(timestamp));
}

const batch = JSON.stringify([
  { email: 'ada@example.com', timestamp: 1764999990, event: 'delivered', sg_event_id: 'ZGVsaXZlcmVkLTAtMQ', sg_message_id: 'msg-1.filter0001', category: ['receipts', 'eu'], response: '250 OK' },
  { email: 'bob@example.com', timestamp: 1764999995, event: 'bounce', type: 'blocked', sg_event_id: 'Ym91bmNlLTAtMg', sg_message_id: 'msg-2.filter0001', category: 'receipts', reason: '550 blocked' },
]) + '\r\n';

describe('SendGridSource verify', () => {
  it("accepts SendGrid's published test vector (key, signature, timestamp and payload from @sendgrid/eventwebhook's spec)", () => {
    const key = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==';
    const signature = 'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=';
    const payload = JSON.stringify([{ email: 'hello@world.com', event: 'dropped', reason: 'Bounced Address', sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA', sg_message_id: 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0', 'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>', timestamp: 1600112492 }]) + '\r\n';
    expect(webhook.verifySignature(webhook.convertPublicKeyToECDSA(key), payload, signature, '1600112502')).toBe(true);
    const context1600 = { ...context(), now: 1600112510_000 };
    expect(sendgridProvider.verify(request(payload, signature, '1600112502'), { publicKey: key }, context1600)).toEqual({ ok: true });
    expect(sendgridProvider.verify(request(payload.replace('dropped', 'dropper'), signature, '1600112502'), { publicKey: key }, context1600)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('accepts what @sendgrid/eventwebhook accepts, with the key as base64 DER or as PEM', () => {
    const valid = signed(batch);
    const signature = valid.headers['x-twilio-email-event-webhook-signature']!;
    expect(webhook.verifySignature(webhook.convertPublicKeyToECDSA(publicKeyBase64), batch, signature, String(NOW))).toBe(true);
    expect(sendgridProvider.verify(valid, { publicKey: publicKeyBase64 }, context())).toEqual({ ok: true });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(sendgridProvider.verify(valid, { publicKey: pem }, context())).toEqual({ ok: true });
  });

  it('refuses a forged body, another key, a moved timestamp, a missing header and a key that is not P-256', () => {
    const valid = signed(batch);
    const signature = valid.headers['x-twilio-email-event-webhook-signature']!;
    const forgedBody = batch.replace('ada@', 'eve@');
    expect(webhook.verifySignature(webhook.convertPublicKeyToECDSA(publicKeyBase64), forgedBody, signature, String(NOW))).toBe(false);
    expect(sendgridProvider.verify({ ...valid, body: Buffer.from(forgedBody) }, { publicKey: publicKeyBase64 }, context())).toMatchObject({ ok: false, reason: 'invalid' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(sendgridProvider.verify(signed(batch, NOW, other), { publicKey: publicKeyBase64 }, context())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(sendgridProvider.verify(request(batch, signature, String(NOW + 1)), { publicKey: publicKeyBase64 }, context())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(sendgridProvider.verify(request(batch, 'bm90IGRlcg==', String(NOW)), { publicKey: publicKeyBase64 }, context())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(sendgridProvider.verify(request(batch, undefined, String(NOW)), { publicKey: publicKeyBase64 }, context())).toMatchObject({ ok: false, reason: 'missing' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(sendgridProvider.verify(valid, { publicKey: rsa }, context())).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringContaining('P-256') });
  });

  it('refuses a correctly signed batch older than 300 s as stale', () => {
    expect(sendgridProvider.verify(signed(batch, NOW - 301), { publicKey: publicKeyBase64 }, context())).toMatchObject({ ok: false, reason: 'stale' });
    expect(sendgridProvider.verify(signed(batch, NOW + 299), { publicKey: publicKeyBase64 }, context())).toEqual({ ok: true });
  });
});

describe('SendGridSource mapping', () => {
  it('emits one CloudEvent per element of the batch', () => {
    const { events } = sendgridProvider.map(signed(batch), context());
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      id: 'ZGVsaXZlcmVkLTAtMQ',
      type: 'com.sendgrid.delivered',
      source: 'https://api.sendgrid.com',
      subject: 'ada@example.com',
      time: '2025-12-06T05:46:30.000Z',
      datacontenttype: 'application/json',
      data: { response: '250 OK' },
      extensions: { messageid: 'msg-1.filter0001', category: 'receipts,eu' },
    });
    expect(events[1]).toMatchObject({ id: 'Ym91bmNlLTAtMg', type: 'com.sendgrid.bounce', subject: 'bob@example.com', extensions: { messageid: 'msg-2.filter0001', category: 'receipts', bouncetype: 'blocked' } });
  });

  it('gives a batch the same delivery id whatever the order of its events, and another batch another id', () => {
    const events = JSON.parse(batch) as unknown[];
    const first = sendgridProvider.map(signed(JSON.stringify(events)), context()).deliveryId;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(sendgridProvider.map(signed(JSON.stringify([...events].reverse())), context()).deliveryId).toBe(first);
    expect(sendgridProvider.map(signed(JSON.stringify(events.slice(0, 1))), context()).deliveryId).not.toBe(first);
  });

  it('refuses a body it cannot read with JUNCTION_WEBHOOK_PAYLOAD_INVALID', () => {
    const invalid = expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' });
    expect(() => sendgridProvider.map(signed('[{'), context())).toThrow(invalid);
    expect(() => sendgridProvider.map(signed('{"event":"delivered"}'), context())).toThrow(invalid);
    expect(() => sendgridProvider.map(signed('[42]'), context())).toThrow(invalid);
    expect(() => sendgridProvider.map(signed('[{"event":"delivered"}]'), context())).toThrow(invalid);
    expect(() => sendgridProvider.map(signed('[{"event":"Deliv ered","sg_event_id":"x"}]'), context())).toThrow(invalid);
  });
});
