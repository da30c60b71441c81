import { describe, expect, it } from 'vitest';
import { CloudEvent, emitterFor, HTTP, httpTransport, Mode } from 'cloudevents';
import { request } from 'undici';
import { expectSameEvent } from '../support/sdk-compare.js';
import { deliveredTo, useSdkMesh } from '../support/sdk-mesh.js';

// The official CloudEvents SDK is the oracle: it builds and sends the events, a real Junction routes
// them, and the SDK parses and validates what the subscribers receive.

/**
 * Extensions of every CloudEvents type, as the JSON format writes them (Binary as base64). In binary
 * mode the SDK sends `hello world` with a raw space, which HTTP binding §3.1.3.2 says MUST be
 * percent-encoded; Junction reads an unencoded space as itself.
 */
const EXTENSIONS = {
  exstring: 'hello world',
  exinteger: 42,
  exminimum: -2147483648,
  exboolean: true,
  exuri: 'https://example.com/orders?region=eu#top',
  exurireference: '../orders/42?expand=lines',
  extimestamp: '2026-12-04T10:11:12.345Z',
  exbinary: Buffer.from([0, 1, 2, 0xfe, 0xff]).toString('base64'),
};

let sequence = 0;

/** An SDK event with every optional attribute set; `attributes` adds or overrides. */
function sdkEvent(attributes: Record<string, unknown>): CloudEvent<unknown> {
  sequence++;
  return new CloudEvent<unknown>({
    id: `sdk-${sequence}-${Math.random().toString(36).slice(2)}`,
    source: 'https://example.com/shop',
    type: 'com.example.order.created',
    subject: 'orders/42',
    time: '2026-12-04T10:00:00.123Z',
    dataschema: 'https://example.com/schemas/order.json',
    ...EXTENSIONS,
    ...attributes,
  });
}

describe('the CloudEvents SDK as oracle for Junction ingress and delivery', () => {
  const mesh = useSdkMesh();

  /** Emits with the SDK's own HTTP transport and asserts the broker accepted (202, no body). */
  const emit = async (event: CloudEvent<unknown>, mode: Mode) => {
    const answer = await emitterFor(httpTransport(mesh.ingress), { mode })(event);
    expect(answer).toMatchObject({ body: '' });
  };

  /** Checks both subscribers: binary delivery (values as canonical strings) and structured delivery. */
  const expectDelivered = async (sent: CloudEvent<unknown>, sentMode: Mode, binaryExtra: Record<string, unknown> = {}) => {
    const binary = await deliveredTo(mesh.binary, sent.id);
    expectSameEvent(binary.event, sent, { typed: false, binaryDelivery: true, extra: binaryExtra });
    const structured = await deliveredTo(mesh.structured, sent.id);
    expect(structured.request.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expectSameEvent(structured.event, sent, { typed: sentMode === Mode.STRUCTURED, binaryDelivery: false });
    return { binary, structured };
  };

  for (const mode of [Mode.BINARY, Mode.STRUCTURED]) {
    describe(`sent in ${mode} mode`, () => {
      it('keeps a JSON object, every extension type, dataschema, subject and time', async () => {
        const sent = sdkEvent({ datacontenttype: 'application/json', data: { order: 42, lines: [{ sku: 'a-1', qty: 2 }], note: null } });
        await emit(sent, mode);
        const { binary } = await expectDelivered(sent, mode);
        expect(binary.request.headers['content-type']).toBe('application/json');
        expect(JSON.parse(binary.request.body.toString('utf8'))).toEqual(sent.data);
      });

      it('keeps text/plain data as the same text', async () => {
        const sent = sdkEvent({ datacontenttype: 'text/plain; charset=utf-8', data: 'line one\nline two: 100% done' });
        await emit(sent, mode);
        const { binary } = await expectDelivered(sent, mode);
        expect(binary.request.body.toString('utf8')).toBe(sent.data);
      });

      it('keeps binary data byte for byte (raw body in binary mode, data_base64 in structured)', async () => {
        const bytes = Buffer.from(Array.from({ length: 300 }, (_, index) => (index * 7) % 256));
        const sent = sdkEvent({ datacontenttype: 'application/octet-stream', data: bytes });
        expect(sent.data_base64).toBe(bytes.toString('base64'));
        await emit(sent, mode);
        const { binary, structured } = await expectDelivered(sent, mode);
        expect(binary.request.headers['content-type']).toBe('application/octet-stream');
        expect(binary.request.body.equals(bytes)).toBe(true);
        const json = JSON.parse(structured.request.body.toString('utf8')) as Record<string, unknown>;
        expect(json.data_base64).toBe(bytes.toString('base64'));
        expect(json).not.toHaveProperty('data');
      });

      it('reads absent datacontenttype as application/json and says so in binary mode (JSON format §3.1.2)', async () => {
        const sent = sdkEvent({ data: { order: 7 } });
        expect(sent.datacontenttype).toBeUndefined();
        await emit(sent, mode);
        if (mode === Mode.STRUCTURED) {
          await expectDelivered(sent, mode, { datacontenttype: 'application/json' });
        } else {
          // The SDK's binary encoder fills Content-Type itself, so the broker sees it as datacontenttype.
          const binary = await deliveredTo(mesh.binary, sent.id);
          expectSameEvent(binary.event, sent, { typed: false, binaryDelivery: true, extra: { datacontenttype: 'application/json; charset=utf-8' } });
        }
      });
    });
  }

  it('keeps a JSON string data value in structured mode, quoted as JSON text in a binary-mode body', async () => {
    const sent = sdkEvent({ datacontenttype: 'application/json', data: 'a JSON string, not a document' });
    await emit(sent, Mode.STRUCTURED);
    const { binary } = await expectDelivered(sent, Mode.STRUCTURED);
    expect(binary.request.body.toString('utf8')).toBe(JSON.stringify(sent.data));
  });

  it('percent-encodes non-ASCII, space, quote and percent in binary-mode headers and keeps them as sent in structured mode', async () => {
    const sent = sdkEvent({ subject: 'orders/42 – «new»', exunicode: 'café ☕ "quoted" 100%', datacontenttype: 'application/json', data: { ok: true } });
    await emit(sent, Mode.STRUCTURED);
    const { binary } = await expectDelivered(sent, Mode.STRUCTURED);
    expect(binary.request.headers['ce-exunicode']).toBe('caf%C3%A9%20%E2%98%95%20%22quoted%22%20100%25');
    expect(binary.request.headers['ce-subject']).toBe('orders/42%20%E2%80%93%20%C2%ABnew%C2%BB');
  });

  it('accepts a batch as the SDK reads it and delivers each event on its own', async () => {
    const json = sdkEvent({ datacontenttype: 'application/json', data: { order: 1 } });
    const bytes = sdkEvent({ datacontenttype: 'application/octet-stream', data: Buffer.from([9, 8, 7, 0, 255]) });
    const text = sdkEvent({ datacontenttype: 'text/plain', data: 'third' });
    const message = { headers: { 'content-type': 'application/cloudevents-batch+json' }, body: JSON.stringify([json, bytes, text]) };
    const understood = HTTP.toEvent<unknown>(message) as CloudEvent<unknown>[];
    expect(understood.map((event) => event.id)).toEqual([json.id, bytes.id, text.id]);

    const answer = await request(mesh.ingress, { method: 'POST', headers: message.headers, body: message.body });
    expect(answer.statusCode).toBe(202);
    await answer.body.dump();
    for (const event of understood) {
      expect(event.validate()).toBe(true);
      expectSameEvent((await deliveredTo(mesh.structured, event.id)).event, event, { typed: true, binaryDelivery: false });
      expectSameEvent((await deliveredTo(mesh.binary, event.id)).event, event, { typed: false, binaryDelivery: true });
    }
  });
});
