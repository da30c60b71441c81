import { createHash, createHmac } from 'node:crypto';
import { CloudEvent as SdkEvent, HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { isJunctionError } from '../../../core/errors.js';
import { toCloudEvent } from '../../../sources/framework/events.js';
import { cloudEventsProvider } from '../../../sources/webhook/providers/cloudevents/index.js';
import { webhookContext, webhookRequest } from './webhook-request.js';

const SECRET = 'ce-hmac-secret';
const secretToken = { secretKeyRef: { name: 'ce-key', key: 'secret' } };
const order = new SdkEvent({
  id: 'A234-1234-1234',
  source: 'https://shop.example.com/orders',
  type: 'com.example.order.created',
  subject: 'orders/42',
  time: '2026-12-06T10:31:00.000Z',
  dataschema: 'https://shop.example.com/schemas/order.json',
  partitionkey: 'customer-7',
  data: { orderId: 42, total: '19.99' },
});

/** A binding message from the SDK as the route hands it over (header values as strings). */
function fromSdk(message: { headers: Record<string, unknown>; body: unknown }, extra: Record<string, string> = {}) {
  const headers = Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, String(value)]));
  return webhookRequest(message.body as string | Buffer, { ...headers, ...extra });
}
const sign = (body: string | Buffer) => createHmac('sha256', SECRET).update(body).digest('hex');
const emitted = (request: ReturnType<typeof webhookRequest>) => cloudEventsProvider.map(request, webhookContext());

function payloadError(run: () => unknown): { code: string; message: string; problems: { path: string }[] } {
  try {
    run();
  } catch (error) {
    if (isJunctionError(error)) return { code: error.code, message: error.message, problems: error.problems };
    throw error;
  }
  throw new Error('no error thrown');
}

describe('CloudEventsSource auth (shared with WebhookSource)', () => {
  const message = HTTP.binary(order);

  it('verifies the HMAC of a binary-mode body: valid, forged, missing, and stale with a timestamp', () => {
    const spec = { secretToken };
    const signed = fromSdk(message, { 'x-signature': sign(message.body as string) });
    expect(cloudEventsProvider.verify(signed, { secret: SECRET }, webhookContext(spec))).toEqual({ ok: true });
    const forged = { ...signed, body: Buffer.from(String(message.body).replace('42', '43')) };
    expect(cloudEventsProvider.verify(forged, { secret: SECRET }, webhookContext(spec))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(cloudEventsProvider.verify(fromSdk(message), { secret: SECRET }, webhookContext(spec))).toMatchObject({ ok: false, reason: 'missing' });

    const timed = { secretToken, auth: { type: 'hmac', timestampHeader: 'x-timestamp' } };
    const now = 1_800_000_000;
    const at = (seconds: number) => fromSdk(message, { 'x-timestamp': String(seconds), 'x-signature': sign(`${seconds}.${String(message.body)}`) });
    expect(cloudEventsProvider.verify(at(now), { secret: SECRET }, webhookContext(timed, 300, now * 1000))).toEqual({ ok: true });
    expect(cloudEventsProvider.verify(at(now - 301), { secret: SECRET }, webhookContext(timed, 300, now * 1000))).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('accepts a Bearer token, runs open only with auth.type none, and refuses when nothing is configured', () => {
    const bearer = fromSdk(message, { authorization: `Bearer ${SECRET}` });
    expect(cloudEventsProvider.verify(bearer, { secret: SECRET }, webhookContext({ secretToken, auth: { type: 'bearer' } }))).toEqual({ ok: true });
    expect(cloudEventsProvider.verify(fromSdk(message), {}, webhookContext({ auth: { type: 'none' } }))).toEqual({ ok: true });
    expect(cloudEventsProvider.verify(fromSdk(message), {}, webhookContext({}))).toMatchObject({ ok: false, reason: 'missing', message: expect.stringContaining('spec.auth.type: none') });
  });
});

describe('CloudEventsSource passthrough (messages built by the cloudevents SDK)', () => {
  it('passes a binary-mode event through with its own attributes; the dedupe key is source + id', () => {
    const { deliveryId, events } = emitted(fromSdk(HTTP.binary(order)));
    expect(deliveryId).toBe('https://shop.example.com/orders\nA234-1234-1234');
    // What the route emits is the SDK's event, attribute for attribute (its JSON form).
    expect(toCloudEvent(events[0]!, {})).toEqual({ ...JSON.parse(JSON.stringify(order)), datacontenttype: 'application/json; charset=utf-8' });
  });

  it('reads structured mode the same, and turns a JSON number extension into its string', () => {
    const event = order.cloneWith({ attempt: 3, live: true });
    const { deliveryId, events } = emitted(fromSdk(HTTP.structured(event)));
    expect(deliveryId).toBe('https://shop.example.com/orders\nA234-1234-1234');
    expect(events[0]).toMatchObject({ id: 'A234-1234-1234', type: 'com.example.order.created', subject: 'orders/42', time: '2026-12-06T10:31:00.000Z', datacontenttype: 'application/json', data: { orderId: 42, total: '19.99' } });
    expect(events[0]!.dataschema).toBe('https://shop.example.com/schemas/order.json');
    expect(events[0]!.extensions).toEqual({ partitionkey: 'customer-7', attempt: '3', live: 'true' });
  });

  it('keeps binary data as data_base64 with its content type', () => {
    const bytes = Buffer.from([0x0a, 0xff, 0x00, 0x7f]);
    const blob = new SdkEvent({ id: 'blob-1', source: 'urn:sensor:7', type: 'com.example.reading', datacontenttype: 'application/protobuf', data: bytes });
    const cloudEvent = toCloudEvent(emitted(fromSdk(HTTP.binary(blob))).events[0]!, {});
    expect(cloudEvent).toMatchObject({ id: 'blob-1', datacontenttype: 'application/protobuf', data_base64: bytes.toString('base64') });
    expect(cloudEvent.data).toBeUndefined();
  });

  it('emits every event of a batch; the dedupe key hashes all source/id pairs', () => {
    const second = new SdkEvent({ id: 'B-2', source: 'urn:shop:eu', type: 'com.example.order.shipped', data: { orderId: 43 } });
    const body = JSON.stringify([order, second]);
    const { deliveryId, events } = emitted(webhookRequest(body, { 'content-type': 'application/cloudevents-batch+json' }));
    expect(events.map((event) => [event.source, event.id, event.type])).toEqual([
      ['https://shop.example.com/orders', 'A234-1234-1234', 'com.example.order.created'],
      ['urn:shop:eu', 'B-2', 'com.example.order.shipped'],
    ]);
    expect(deliveryId).toBe(createHash('sha256').update(JSON.stringify([['https://shop.example.com/orders', 'A234-1234-1234'], ['urn:shop:eu', 'B-2']])).digest('hex'));
    expect(emitted(webhookRequest(body, { 'content-type': 'application/cloudevents-batch+json' })).deliveryId).toBe(deliveryId);
    // A batch of one is deduped as that event, whichever mode it came in.
    expect(emitted(webhookRequest(JSON.stringify([second]), { 'content-type': 'application/cloudevents-batch+json' })).deliveryId).toBe('urn:shop:eu\nB-2');
    // The SDK reads the same batch the same way.
    expect((HTTP.toEvent({ headers: { 'content-type': 'application/cloudevents-batch+json' }, body }) as SdkEvent[]).map((event) => event.id)).toEqual(['A234-1234-1234', 'B-2']);
  });

  it('refuses what is not a valid CloudEvent with JUNCTION_WEBHOOK_PAYLOAD_INVALID listing each problem', () => {
    const { 'ce-type': _type, 'ce-source': _source, ...headers } = fromSdk(HTTP.binary(order)).headers;
    const missing = payloadError(() => emitted(webhookRequest(String(HTTP.binary(order).body), headers as Record<string, string>)));
    expect(missing.code).toBe('JUNCTION_WEBHOOK_PAYLOAD_INVALID');
    expect(missing.problems.map((problem) => problem.path).sort()).toEqual(['source', 'type']);
    expect(missing.message).toMatch(/source: .*type: /);
    const plain = payloadError(() => emitted(webhookRequest('{"hello":"world"}', { 'content-type': 'application/json' })));
    expect(plain).toMatchObject({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID', message: expect.stringContaining('specversion') });
    const broken = payloadError(() => emitted(webhookRequest('{"specversion":', { 'content-type': 'application/cloudevents+json' })));
    expect(broken).toMatchObject({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID', message: expect.stringContaining('not valid JSON') });
    const batch = payloadError(() => emitted(webhookRequest(JSON.stringify([order, { specversion: '1.0', id: 'x' }]), { 'content-type': 'application/cloudevents-batch+json' })));
    expect(batch.problems.map((problem) => problem.path)).toEqual(expect.arrayContaining(['[1].source', '[1].type']));
    const avro = payloadError(() => emitted(webhookRequest('x', { 'content-type': 'application/cloudevents+avro' })));
    expect(avro).toMatchObject({ code: 'JUNCTION_WEBHOOK_PAYLOAD_INVALID', message: expect.stringContaining('cloudevents+avro') });
  });
});
