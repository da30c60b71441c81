import { createHash } from 'node:crypto';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { twilioProvider } from '../../../sources/webhook/providers/twilio/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const AUTH_TOKEN = '12345abcdef67890fedcba0987654321';
const URL_ = 'https://hooks.example.com/sources/default/sms';
const FORM = 'application/x-www-form-urlencoded';

const incomingSms: Record<string, string> = {
  ToCountry: 'US', SmsMessageSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', NumMedia: '0', SmsSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', SmsStatus: 'received', Body: 'Hello from a phone & more',
  To: '+15557778888', NumSegments: '1', MessageSid: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', AccountSid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', From: '+15551234567', ApiVersion: '2010-04-01', MessagingServiceSid: 'MGXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
};
const callStatus: Record<string, string> = {
  AccountSid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', ApiVersion: '2010-04-01', CallSid: 'CA5c1c2b6e9e2a4c7c8a5b8e8d1d7b6f20', CallStatus: 'completed', CallbackSource: 'call-progress-events',
  Direction: 'outbound-api', Duration: '1', From: '+15551234567', To: '+15557778888', SequenceNumber: '3', Timestamp: 'Mon, 16 Aug 2010 03:45:01 +0000', CallDuration: '14',
};

function formRequest(params: Record<string, string>, headers: Record<string, string> = {}, url = URL_) {
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params);
  expect(twilio.validateRequest(AUTH_TOKEN, signature, url, params)).toBe(true);
  return webhookRequest(new URLSearchParams(params).toString(), { 'content-type': FORM, 'x-twilio-signature': signature, ...headers }, url);
}
function jsonRequest(body: string) {
  const url = `${URL_}?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, {});
  expect(twilio.validateRequestWithBody(AUTH_TOKEN, signature, url, body)).toBe(true);
  return webhookRequest(body, { 'content-type': 'application/json', 'x-twilio-signature': signature }, url);
}

describe('TwilioSource verification', () => {
  const verify = (request: ReturnType<typeof formRequest>, secret = AUTH_TOKEN) => twilioProvider.verify(request, { secret }, webhookContext({}, 0));

  it('accepts form webhooks signed by the twilio SDK, with or without the port in the URL', () => {
    expect(verify(formRequest(incomingSms))).toEqual({ ok: true });
    expect(verify(formRequest(callStatus, {}, 'https://hooks.example.com/sources/default/sms?tenant=a&x=1'))).toEqual({ ok: true });
    // Twilio may sign https://host/path while the URL received carries :443 (and the other way round).
    const signedWithoutPort = formRequest(incomingSms);
    expect(verify({ ...signedWithoutPort, url: 'https://hooks.example.com:443/sources/default/sms' })).toEqual({ ok: true });
    const signedWithPort = formRequest(incomingSms, {}, 'https://hooks.example.com:443/sources/default/sms');
    expect(verify({ ...signedWithPort, url: URL_ })).toEqual({ ok: true });
  });

  it('accepts repeated parameters as Twilio signs them (distinct values sorted)', () => {
    const body = 'MessageSid=SM1&AccountSid=AC1&MediaUrl=https%3A%2F%2Fb&MediaUrl=https%3A%2F%2Fa';
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, URL_, { MessageSid: 'SM1', AccountSid: 'AC1', MediaUrl: ['https://b', 'https://a'] });
    expect(verify(webhookRequest(body, { 'content-type': FORM, 'x-twilio-signature': signature }, URL_))).toEqual({ ok: true });
  });

  it('accepts a JSON body covered by bodySHA256 and refuses one whose body changed', () => {
    const body = JSON.stringify({ MessageSid: 'SM2', AccountSid: 'AC1', MessageStatus: 'delivered' });
    expect(verify(jsonRequest(body))).toEqual({ ok: true });
    expect(verify({ ...jsonRequest(body), body: Buffer.from(body.replace('delivered', 'failed')) })).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringMatching(/bodySHA256/) });
    const unhashed = webhookRequest(body, { 'content-type': 'application/json', 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, URL_, {}) }, URL_);
    expect(verify(unhashed)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('accepts SharedKey HMAC-SHA256 signatures named by X-Twilio-Webhooks-Signature-Settings', () => {
    const settings = 'key=webhooks_sharedkey_1,algorithm=HMAC_SHA256';
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, URL_, incomingSms, twilio.getSignatureAlgorithm(settings));
    const request = webhookRequest(new URLSearchParams(incomingSms).toString(), { 'content-type': FORM, 'x-twilio-signature': signature, 'x-twilio-webhooks-signature-settings': settings }, URL_);
    expect(verify(request)).toEqual({ ok: true });
    expect(verify({ ...request, headers: { ...request.headers, 'x-twilio-webhooks-signature-settings': 'algorithm=HMAC_SHA512' } })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses forged parameters, another URL, another token and a missing signature', () => {
    const signed = formRequest(incomingSms);
    expect(verify({ ...signed, body: Buffer.from(new URLSearchParams({ ...incomingSms, Body: 'forged' }).toString()) })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify({ ...signed, url: 'https://evil.example.com/sources/default/sms' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify(signed, 'another-auth-token')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verify({ ...signed, headers: { 'content-type': FORM } })).toMatchObject({ ok: false, reason: 'missing' });
    expect(verify({ ...signed, headers: { ...signed.headers, 'x-twilio-signature': 'not base64!' } })).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('TwilioSource mapping', () => {
  it('maps an incoming SMS: com.twilio.message.received, id = MessageSid, account source, routing extensions', () => {
    const { deliveryId, events } = twilioProvider.map(formRequest(incomingSms), webhookContext());
    expect(deliveryId).toBe('SM1f0e8ae6ade43cb3c0ce4525424e404f');
    expect(events).toEqual([{
      id: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', type: 'com.twilio.message.received', source: 'https://api.twilio.com/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', subject: 'SM1f0e8ae6ade43cb3c0ce4525424e404f', time: undefined,
      datacontenttype: 'application/json', data: incomingSms, extensions: { accountsid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', from: '+15551234567', to: '+15557778888', status: 'received' },
    }]);
  });

  it('maps each status change to its own event: <sid>:<status>, and prefers I-Twilio-Idempotency-Token', () => {
    const call = twilioProvider.map(formRequest(callStatus), webhookContext()).events[0]!;
    expect(call).toMatchObject({ id: 'CA5c1c2b6e9e2a4c7c8a5b8e8d1d7b6f20:completed', type: 'com.twilio.call.status', subject: 'CA5c1c2b6e9e2a4c7c8a5b8e8d1d7b6f20', time: '2010-08-16T03:45:01.000Z', extensions: expect.objectContaining({ status: 'completed' }) });
    const delivered = { AccountSid: 'AC1', MessageSid: 'SM3', SmsSid: 'SM3', MessageStatus: 'delivered', SmsStatus: 'delivered' };
    expect(twilioProvider.map(formRequest(delivered), webhookContext()).events[0]).toMatchObject({ id: 'SM3:delivered', type: 'com.twilio.message.status' });
    const withToken = twilioProvider.map(formRequest(delivered, { 'i-twilio-idempotency-token': '7f3c1b2e-0d3b-4f7a-9d5e-1a2b3c4d5e6f' }), webhookContext());
    expect(withToken.deliveryId).toBe('7f3c1b2e-0d3b-4f7a-9d5e-1a2b3c4d5e6f');
    expect(withToken.events[0]!.id).toBe('7f3c1b2e-0d3b-4f7a-9d5e-1a2b3c4d5e6f');
    const recording = { AccountSid: 'AC1', CallSid: 'CA1', RecordingSid: 'RE1', RecordingStatus: 'completed' };
    expect(twilioProvider.map(formRequest(recording), webhookContext()).events[0]).toMatchObject({ id: 'RE1:completed', type: 'com.twilio.recording.status', subject: 'RE1' });
    const incoming = { AccountSid: 'AC1', CallSid: 'CA2', CallStatus: 'ringing', Direction: 'inbound' };
    expect(twilioProvider.map(formRequest(incoming), webhookContext()).events[0]).toMatchObject({ id: 'CA2', type: 'com.twilio.call.incoming' });
  });

  it('maps other webhooks by EventType, else as com.twilio.webhook with a body hash; refuses an empty body', () => {
    const task = { AccountSid: 'AC1', EventType: 'task.created', Sid: 'EV1', TaskSid: 'WT1', EventDate: '2024-05-01T10:00:00Z' };
    expect(twilioProvider.map(formRequest(task), webhookContext()).events[0]).toMatchObject({ id: 'EV1:task.created', type: 'com.twilio.task.created', time: '2024-05-01T10:00:00.000Z' });
    const other = formRequest({ AccountSid: 'AC1', Foo: 'bar' });
    expect(twilioProvider.map(other, webhookContext()).events[0]).toMatchObject({ id: createHash('sha256').update(other.body).digest('hex'), type: 'com.twilio.webhook' });
    expect(() => twilioProvider.map(webhookRequest('', { 'content-type': FORM }), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
    expect(() => twilioProvider.map(webhookRequest('not json', { 'content-type': 'application/json' }), webhookContext())).toThrow(expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' }));
  });
});

describe('TwilioSource acknowledgement', () => {
  it('answers with empty TwiML, which Twilio reads as nothing more to do', () => {
    const answer = twilioProvider.acknowledge!(webhookRequest('', {}), { events: 1, duplicate: false })!;
    expect(answer).toMatchObject({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
    expect(String(answer.body)).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><Response\/>$/);
  });
});
