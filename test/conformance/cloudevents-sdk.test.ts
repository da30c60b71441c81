import { describe, expect, it } from 'vitest';
import { CloudEvent, emitterFor, httpTransport, Mode } from 'cloudevents';
import { expectSameEvent } from '../support/sdk-compare.js';
import { deliveredTo, useSdkMesh } from '../support/sdk-mesh.js';

// The official CloudEvents SDK is the oracle: it builds and sends the events, a real Junction routes
// them, and the SDK parses and validates what the subscribers receive.

/** Extensions of every CloudEvents type, as the JSON format writes them (Binary as base64). */
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
    });
  }
});
