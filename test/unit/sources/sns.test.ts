import https from 'node:https';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkEvents } from '../../conformance/webhook.suite.js';
import { sleep } from '../../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber } from '../../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, type TestJunction } from '../../support/junction.js';
import { LOCAL_CERTIFICATE_HOSTS, startSnsCertServer, trustInProcess, type SnsCertServer } from '../../support/sns-cert-server.js';
import { httpsGet } from '../../../sources/webhook/providers/sns/certificates.js';
import { createSnsProvider } from '../../../sources/webhook/providers/sns/index.js';
import { DEFAULT_HOST_PATTERN, allowedUrl } from '../../../sources/webhook/providers/sns/verify.js';
import type { WebhookContext, WebhookProvider, WebhookRequest } from '../../../sources/webhook/types.js';

/** sns-validator (CommonJS, untyped): `new MessageValidator(hostPattern).validate(message, callback)`. */
type MessageValidator = { validate(message: string, callback: (error: Error | null) => void): void };
const MessageValidator = createRequire(import.meta.url)('sns-validator') as new (hostPattern?: RegExp) => MessageValidator;

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:orders';
const SUBSCRIPTION = `${TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`;
const LOCAL_HOSTS = { certificateHostPattern: LOCAL_CERTIFICATE_HOSTS };

let certServer: SnsCertServer;
let certPem: string;
let base: string;
let hits: string[];
let provider: WebhookProvider;

const signMessage = (fields: Record<string, string>, version: '1' | '2' = '2') => certServer.sign(fields, version);
function notification(overrides: Record<string, string> = {}, version: '1' | '2' = '2'): Record<string, string> {
  return signMessage({ Type: 'Notification', MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324', TopicArn: TOPIC, Subject: 'order created', Message: '{"orderId":42}', Timestamp: new Date(Date.now() - 5000).toISOString(), UnsubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe', ...overrides }, version);
}
function confirmation(type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation', subscribeUrl = `${base}/confirm?Token=abc`): Record<string, string> {
  return signMessage({ Type: type, MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b', Token: 'abc', TopicArn: TOPIC, Message: `You have chosen to subscribe to the topic ${TOPIC}.`, SubscribeURL: subscribeUrl, Timestamp: new Date().toISOString() });
}
function request(message: Record<string, unknown> | string, headers: Record<string, string> = {}): WebhookRequest {
  const body = typeof message === 'string' ? message : JSON.stringify(message);
  const type = typeof message === 'string' ? 'Notification' : String(message.Type);
  return { method: 'POST', url: 'https://hooks.example.com/sources/default/orders', headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': type, 'x-amz-sns-topic-arn': TOPIC, ...headers }, body: Buffer.from(body) };
}
const context = (spec: Record<string, unknown> = LOCAL_HOSTS, now = Date.now()): WebhookContext => ({ namespace: 'default', name: 'orders', spec, toleranceSeconds: provider.toleranceSeconds, now });
const validate = (validator: MessageValidator, message: Record<string, string>) => new Promise<void>((resolve, reject) => validator.validate(JSON.stringify(message), (error) => (error ? reject(error) : resolve())));

beforeAll(async () => {
  certServer = await startSnsCertServer();
  ({ certPem, base, hits } = certServer);
  // The test's cert server is trusted through an injected fetcher; the shipped provider trusts only the system store.
  provider = createSnsProvider({ get: httpsGet({ ca: certPem }) });
  // sns-validator fetches with https.get and the global agent: trust the test CA there.
  (https.globalAgent.options as { ca?: string }).ca = certPem;
});
afterAll(async () => {
  await certServer?.close();
});

describe('SNSSource verify', () => {
  const validator = () => new MessageValidator(/^127\.0\.0\.1:\d+$/);

  it('accepts SignatureVersion 2 (SHA256withRSA) and 1 (SHA1withRSA) notifications that sns-validator accepts', async () => {
    for (const version of ['2', '1'] as const) {
      const message = notification({}, version);
      await validate(validator(), message);
      expect(await provider.verify(request(message), {}, context())).toEqual({ ok: true });
    }
    // Subject is optional: a notification without one signs one field fewer.
    const noSubject = signMessage({ Type: 'Notification', MessageId: 'no-subject', TopicArn: TOPIC, Message: 'plain text', Timestamp: new Date().toISOString() });
    await validate(validator(), noSubject);
    expect(await provider.verify(request(noSubject), {}, context())).toEqual({ ok: true });
  });

  it('fetches a signing certificate once and serves it from the cache afterwards', async () => {
    const fresh = createSnsProvider({ get: httpsGet({ ca: certPem }) });
    const before = hits.filter((hit) => hit.endsWith('test.pem')).length;
    for (let i = 0; i < 3; i++) expect(await fresh.verify(request(notification({ MessageId: `m-${i}` })), {}, context())).toEqual({ ok: true });
    expect(hits.filter((hit) => hit.endsWith('test.pem')).length - before).toBe(1);
  });

  it('refuses a forged message, a missing signature and a body that is not an SNS message', async () => {
    const forged = { ...notification(), Message: '{"orderId":43}' };
    await expect(validate(validator(), forged)).rejects.toThrow(/signature is invalid/);
    expect(await provider.verify(request(forged), {}, context())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await provider.verify(request({ ...notification(), Subject: 'other' }), {}, context())).toMatchObject({ ok: false, reason: 'invalid' });
    const { Signature: _signature, ...unsigned } = notification();
    expect(await provider.verify(request(unsigned), {}, context())).toMatchObject({ ok: false, reason: 'missing' });
    expect(await provider.verify(request('{"orderId":42}'), {}, context())).toMatchObject({ ok: false, reason: 'missing' });
    expect(await provider.verify(request('not json'), {}, context())).toMatchObject({ ok: false, reason: 'missing' });
    expect(await provider.verify(request({ ...notification(), SignatureVersion: '3' }), {}, context())).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('fetches certificates only over https from allowed hosts, as .pem', async () => {
    const before = hits.length;
    expect(await provider.verify(request(notification()), {}, context({}))).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringContaining('allowed host') });
    expect(await provider.verify(request({ ...notification(), SigningCertURL: `${base.replace('https', 'http')}/SimpleNotificationService-test.pem` }), {}, context())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await provider.verify(request({ ...notification(), SigningCertURL: `${base}/SimpleNotificationService-test.txt` }), {}, context())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await provider.verify(request(notification()), {}, context({ certificateHostPattern: '(' }))).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringContaining('certificateHostPattern') });
    expect(hits.length).toBe(before);
    expect(await provider.verify(request({ ...notification(), SigningCertURL: `${base}/not-a-certificate.pem` }), {}, context())).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringContaining('PEM') });
    await expect(provider.verify(request({ ...notification(), SigningCertURL: `${base}/gone.pem` }), {}, context())).rejects.toMatchObject({ code: 'JUNCTION_SOURCE_NOT_READY', message: expect.stringContaining('HTTP 404') });
    // The shipped fetcher trusts the system store only: the self-signed test server is refused.
    await expect(createSnsProvider().verify(request(notification()), {}, context())).rejects.toMatchObject({ code: 'JUNCTION_SOURCE_NOT_READY' });
  });

  it("allows SNS's own hosts by default and nothing that merely contains them", () => {
    const pattern = new RegExp(`^(?:${DEFAULT_HOST_PATTERN})$`);
    expect(allowedUrl(new URL('https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'), pattern)).toBe(true);
    expect(allowedUrl(new URL('https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem'), pattern)).toBe(true);
    expect(allowedUrl(new URL('http://sns.us-east-1.amazonaws.com/x.pem'), pattern)).toBe(false);
    expect(allowedUrl(new URL('https://sns.us-east-1.amazonaws.com.evil.example/x.pem'), pattern)).toBe(false);
    expect(allowedUrl(new URL('https://evil.example/sns.us-east-1.amazonaws.com/x.pem'), pattern)).toBe(false);
    expect(allowedUrl(new URL('https://s3.us-east-1.amazonaws.com/x.pem'), pattern)).toBe(false);
  });

  it('refuses topics not in spec.topicArns and messages older than the 3600 s window', async () => {
    expect(await provider.verify(request(notification()), {}, context({ ...LOCAL_HOSTS, topicArns: [TOPIC] }))).toEqual({ ok: true });
    expect(await provider.verify(request(notification()), {}, context({ ...LOCAL_HOSTS, topicArns: ['arn:aws:sns:eu-west-1:123456789012:other'] }))).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringContaining('topicArns') });
    expect(await provider.verify(request(notification({ Timestamp: new Date(Date.now() - 3601_000).toISOString() })), {}, context())).toMatchObject({ ok: false, reason: 'stale' });
    expect(await provider.verify(request(notification({ Timestamp: new Date(Date.now() - 3500_000).toISOString() })), {}, context())).toEqual({ ok: true });
  });
});

describe('SNSSource handshake', () => {
  it('confirms a SubscriptionConfirmation sns-validator accepts by GET of its SubscribeURL', async () => {
    const message = confirmation('SubscriptionConfirmation');
    await validate(new MessageValidator(/^127\.0\.0\.1:\d+$/), message);
    expect(await provider.verify(request(message), {}, context())).toEqual({ ok: true });
    const before = hits.filter((hit) => hit === '/confirm?Token=abc').length;
    expect(await provider.handshake!(request(message), {}, context())).toEqual({ status: 200, body: { confirmed: true, topicArn: TOPIC } });
    expect(hits.filter((hit) => hit === '/confirm?Token=abc').length).toBe(before + 1);
  });

  it('does not follow a SubscribeURL off the allowed hosts, and reports a failed confirmation as 502', async () => {
    const before = hits.length;
    expect(await provider.handshake!(request(confirmation('SubscriptionConfirmation', 'https://evil.example/confirm')), {}, context())).toMatchObject({ status: 400, body: { confirmed: false } });
    expect(await provider.handshake!(request(confirmation('SubscriptionConfirmation', `${base.replace('https', 'http')}/confirm`)), {}, context())).toMatchObject({ status: 400 });
    expect(hits.length).toBe(before);
    expect(await provider.handshake!(request(confirmation('SubscriptionConfirmation', `${base}/nope`)), {}, context())).toMatchObject({ status: 502, body: { confirmed: false, reason: expect.stringContaining('404') } });
  });

  it('acknowledges an UnsubscribeConfirmation and lets a Notification through', async () => {
    const message = confirmation('UnsubscribeConfirmation');
    expect(await provider.verify(request(message), {}, context())).toEqual({ ok: true });
    expect(await provider.handshake!(request(message), {}, context())).toEqual({ status: 200, body: { unsubscribed: true } });
    expect(await provider.handshake!(request(notification()), {}, context())).toBeUndefined();
  });
});

describe('SNSSource mapping', () => {
  it('maps a Notification per the CloudEvents SNS adapter', () => {
    const message = notification({ Timestamp: '2026-12-06T10:00:00.123Z' });
    const { deliveryId, events } = provider.map(request(message, { 'x-amz-sns-message-id': message.MessageId!, 'x-amz-sns-subscription-arn': SUBSCRIPTION }), context());
    expect(deliveryId).toBe('22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324');
    expect(events).toEqual([
      {
        id: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
        type: 'com.amazonaws.sns.Notification',
        source: SUBSCRIPTION,
        subject: 'order created',
        time: '2026-12-06T10:00:00.123Z',
        datacontenttype: 'application/json',
        data: message,
        extensions: { topicarn: TOPIC },
      },
    ]);
  });

  it('falls back to the topic as source without a subscription header of that topic, and maps confirmations', () => {
    expect(provider.map(request(notification(), { 'x-amz-sns-subscription-arn': 'arn:aws:sns:eu-west-1:999:elsewhere:1' }), context()).events[0]!.source).toBe(TOPIC);
    const { events } = provider.map(request(confirmation('SubscriptionConfirmation'), { 'x-amz-sns-subscription-arn': SUBSCRIPTION }), context());
    expect(events[0]).toMatchObject({ type: 'com.amazonaws.sns.SubscriptionConfirmation', source: TOPIC, subject: undefined });
  });

  it('refuses a body it cannot read with JUNCTION_WEBHOOK_PAYLOAD_INVALID', () => {
    const invalid = expect.objectContaining({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID' });
    expect(() => provider.map(request('not json'), context())).toThrow(invalid);
    expect(() => provider.map(request({ Type: 'Notification', TopicArn: TOPIC }), context())).toThrow(invalid);
    expect(() => provider.map(request({ Type: 'Other', MessageId: '1', TopicArn: TOPIC }), context())).toThrow(invalid);
  });
});

describe('SNSSource through a running Junction', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  let restoreTrust: (() => void) | undefined;
  let path: string;
  const post = (message: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const sent = request(message, { 'x-amz-sns-message-id': String(message.MessageId), ...headers });
    return junction.post(path, sent.body, sent.headers as Record<string, string>);
  };

  beforeAll(async () => {
    // The running Junction uses the shipped provider (system trust store through undici's global
    // dispatcher): this test process additionally trusts its own cert server, and nothing else changes.
    restoreTrust = trustInProcess(certPem);
    subscriber = await startHttpSubscriber();
    junction = await startTestJunction();
    for (const resource of brokerWithTrigger({ namespace: 'hooks', trigger: 'all', subscriberUrl: subscriber.url })) await junction.apply(resource);
    await junction.waitReady('triggers', 'hooks', 'all');
    await junction.apply({ apiVersion: 'sources.junction.dev/v1', kind: 'SNSSource', metadata: { name: 'orders', namespace: 'hooks' }, spec: { ...LOCAL_HOSTS, topicArns: [TOPIC], sink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } } } });
    const ready = await junction.waitReady('snssources', 'hooks', 'orders', 'sources.junction.dev/v1');
    path = new URL(String(ready.status?.url)).pathname;
  });
  afterAll(async () => {
    await junction?.stop();
    await subscriber?.close();
    restoreTrust?.();
  });

  it('confirms the subscription, delivers a notification once, and refuses forged, unsigned, stale and foreign messages', async () => {
    const confirmed = await post(confirmation('SubscriptionConfirmation', `${base}/confirm?Token=e2e`));
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json).toEqual({ confirmed: true, topicArn: TOPIC });
    expect(hits).toContain('/confirm?Token=e2e');

    const message = notification({ MessageId: 'e2e-1', Message: '{"orderId":7}' });
    const first = await post(message, { 'x-amz-sns-subscription-arn': SUBSCRIPTION });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ accepted: 1 });
    await subscriber.waitForRequests(1);
    const [event] = sdkEvents(subscriber.requests);
    expect(event).toMatchObject({ id: 'e2e-1', type: 'com.amazonaws.sns.Notification', source: SUBSCRIPTION, topicarn: TOPIC, datacontenttype: 'application/json' });
    // Binary mode percent-encodes the space (CloudEvents HTTP binding 3.1.3.2); the SDK hands it on undecoded.
    expect(decodeURIComponent(String(event!.subject))).toBe('order created');
    expect((event!.data as { Message: string }).Message).toBe('{"orderId":7}');

    const again = await post(message, { 'x-amz-sns-subscription-arn': SUBSCRIPTION });
    expect(again.json).toEqual({ accepted: 0, duplicate: true });

    const forged = await post({ ...notification({ MessageId: 'e2e-2' }), Message: 'forged' });
    expect([forged.status, forged.json.code]).toEqual([401, 'JUNCTION_WEBHOOK_SIGNATURE_INVALID']);
    const { Signature: _signature, ...unsigned } = notification({ MessageId: 'e2e-3' });
    expect((await post(unsigned)).json.code).toBe('JUNCTION_WEBHOOK_SIGNATURE_MISSING');
    const stale = await post(notification({ MessageId: 'e2e-4', Timestamp: new Date(Date.now() - 7200_000).toISOString() }));
    expect([stale.status, stale.json.code]).toEqual([401, 'JUNCTION_WEBHOOK_TIMESTAMP_STALE']);
    const foreign = await post(notification({ MessageId: 'e2e-5', TopicArn: 'arn:aws:sns:eu-west-1:999999999999:theirs' }));
    expect([foreign.status, foreign.json.code]).toEqual([401, 'JUNCTION_WEBHOOK_SIGNATURE_INVALID']);

    await sleep(200);
    expect(sdkEvents(subscriber.requests).map((e) => e.id)).toEqual(['e2e-1']);
  });
});
