import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mailgunProvider } from '../../../sources/webhook/providers/mailgun/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

// No Mailgun SDK is a devDependency: requests are signed with node:crypto per Mailgun's docs.
const KEY = 'key-7e55d003b2f4b1a8d2c4b9f0e1a3c5d7';
const NOW = 1_765_000_000;
const TOKEN = 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0';

const delivered = {
  id: 'CPgfbmQMTCKtHW6uIWtuVe', timestamp: 1521472262.908181, 'log-level': 'info', event: 'delivered',
  'delivery-status': { code: 250, message: 'OK', 'attempt-no': 1 },
  envelope: { transport: 'smtp', sender: 'bob@sandbox123.mailgun.org', 'sending-ip': '209.61.154.250', targets: 'alice@example.com' },
  message: { headers: { to: 'Alice <alice@example.com>', 'message-id': '20130503182626.18666.16540@sandbox123.mailgun.org', from: 'Bob <bob@sandbox123.mailgun.org>', subject: 'Test delivered webhook' }, size: 111 },
  recipient: 'alice@example.com', 'recipient-domain': 'example.com', tags: ['my_tag_1'],
};

function body(eventData: Record<string, unknown> = delivered, timestamp: number | string = NOW, token = TOKEN, key = KEY) {
  const signature = createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex');
  return JSON.stringify({ signature: { timestamp: String(timestamp), token, signature }, 'event-data': eventData });
}
const request = (text: string) => webhookRequest(text, { 'content-type': 'application/json' });

describe('MailgunSource verification', () => {
  const context = webhookContext({}, 300, NOW * 1000);
  const verify = (text: string) => mailgunProvider.verify(request(text), { secret: KEY }, context);

  it('accepts a signature over timestamp + token within 300 s either side', () => {
    for (const timestamp of [NOW, NOW - 300, NOW + 300]) expect(verify(body(delivered, timestamp))).toEqual({ ok: true });
  });

  it('refuses stale, forged, unsigned and malformed requests with the reason', () => {
    expect(verify(body(delivered, NOW - 301))).toMatchObject({ ok: false, reason: 'stale' });
    expect(verify(body(delivered, NOW, TOKEN, 'another-key'))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(body(delivered, NOW - 3600, TOKEN, 'another-key'))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(body(delivered).replace(TOKEN, `${TOKEN.slice(0, -1)}1`))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(JSON.stringify({ 'event-data': delivered }))).toMatchObject({ ok: false, reason: 'missing' });
    expect(verify(JSON.stringify({ signature: { timestamp: String(NOW), token: TOKEN }, 'event-data': delivered }))).toMatchObject({ ok: false, reason: 'missing' });
    expect(verify('timestamp=1&token=2&signature=3')).toMatchObject({ ok: false, reason: 'missing' });
    expect(verify(JSON.stringify({ signature: { timestamp: 'soon', token: TOKEN, signature: 'ab' } }))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('accepts event data changed after signing (Mailgun does not sign it): the token dedupe stops the replay', () => {
    const replay = body({ ...delivered, id: 'forged-id' });
    expect(verify(replay)).toEqual({ ok: true });
    expect(mailgunProvider.map(request(replay), webhookContext()).deliveryId).toBe(mailgunProvider.map(request(body()), webhookContext()).deliveryId);
  });
});

describe('MailgunSource mapping', () => {
  it('maps delivered: com.mailgun.<event>, id = event-data.id, delivery id = the token, the sending domain as source', () => {
    const { deliveryId, events } = mailgunProvider.map(request(body()), webhookContext());
    expect(deliveryId).toBe(TOKEN);
    expect(events).toEqual([{
      id: 'CPgfbmQMTCKtHW6uIWtuVe', type: 'com.mailgun.delivered', source: 'https://api.mailgun.net/v3/sandbox123.mailgun.org', subject: 'alice@example.com', time: '2018-03-19T15:11:02.908Z',
      datacontenttype: 'application/json', data: delivered, extensions: { messageid: '20130503182626.18666.16540@sandbox123.mailgun.org', recipientdomain: 'example.com' },
    }]);
  });

  it('maps a permanent failure, takes the domain from the Message-Id or spec.domain', () => {
    const failed = { id: 'G9Bn5sl1TC6pAkhVOu1Xkg', timestamp: 1521233195.375624, event: 'failed', severity: 'permanent', reason: 'suppress-bounce', recipient: 'bob@example.org', message: { headers: { 'message-id': '<20130503192659.13651.20287@mg.example.com>' } } };
    expect(mailgunProvider.map(request(body(failed)), webhookContext()).events[0]).toMatchObject({ type: 'com.mailgun.failed', source: 'https://api.mailgun.net/v3/mg.example.com', extensions: expect.objectContaining({ severity: 'permanent' }) });
    expect(mailgunProvider.map(request(body(failed)), webhookContext({ domain: 'mail.example.com' })).events[0]!.source).toBe('https://api.mailgun.net/v3/mail.example.com');
  });

  it('refuses a body that is not a Mailgun webhook', () => {
    expect(() => mailgunProvider.map(request(JSON.stringify({ signature: { token: TOKEN } })), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => mailgunProvider.map(request(body({ event: 'delivered' })), webhookContext())).toThrow(/event-data needs an id/);
    expect(() => mailgunProvider.map(request('not json'), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
  });
});
