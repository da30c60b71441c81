import { describe, expect, it } from 'vitest';
import { CloudEvent, emitterFor, HTTP, httpTransport, Mode } from 'cloudevents';
import { request } from 'undici';
import { deliveredTo, useSdkMesh } from '../support/sdk-mesh.js';

// Where the CloudEvents SDK (v10) and the spec disagree, these tests assert the spec's behaviour
// (spec.md, bindings-http-protocol-binding.md, formats-json-format.md) and say what the SDK does.

const base = { source: '/orders', type: 'com.example.order.created', time: '2026-12-04T10:00:00Z' };

describe('where the CloudEvents SDK departs from the spec, Junction follows the spec', () => {
  const mesh = useSdkMesh();

  const post = async (body: string | Buffer, headers: Record<string, string>) => {
    const answer = await request(mesh.ingress, { method: 'POST', headers, body });
    const text = await answer.body.text();
    return { status: answer.statusCode, contentType: answer.headers['content-type'], json: text ? JSON.parse(text) : undefined };
  };

  it('delivers JSON number data as the JSON number 42 (the SDK would read the binary body "42" as a string)', async () => {
    const sent = new CloudEvent<unknown>({ ...base, id: 'number-data', datacontenttype: 'application/json', data: 42 });
    await emitterFor(httpTransport(mesh.ingress), { mode: Mode.STRUCTURED })(sent);
    const binary = await deliveredTo(mesh.binary, sent.id);
    // HTTP binding §2.2: under application/json the body is JSON text, and `42` is a number. The SDK's
    // JSONParser wraps any body not starting with [, { or " in quotes and reads the string "42".
    expect(binary.request.body.toString('utf8')).toBe('42');
    expect(JSON.parse(binary.request.body.toString('utf8'))).toBe(42);
    const structured = await deliveredTo(mesh.structured, sent.id);
    expect(structured.event.data).toBe(42);
  });

  it('keeps falsy JSON data (false, 0, "", null), which the SDK drops when it reads structured mode', async () => {
    for (const [index, data] of [false, 0, '', null].entries()) {
      const sent = new CloudEvent<unknown>({ ...base, id: `falsy-${index}`, datacontenttype: 'application/json', data });
      await emitterFor(httpTransport(mesh.ingress), { mode: Mode.STRUCTURED })(sent);
      // JSON format §3.1.1: `data` is the JSON value, and null is an explicit null payload. The SDK's
      // structured reader skips every falsy member (`if (property)`), so its event has no data at all.
      const structured = await deliveredTo(mesh.structured, sent.id);
      expect(JSON.parse(structured.request.body.toString('utf8'))).toHaveProperty('data', data);
      const binary = await deliveredTo(mesh.binary, sent.id);
      expect(JSON.parse(binary.request.body.toString('utf8'))).toBe(data);
    }
  });

  it('refuses a binary-mode body that Content-Type declares JSON but is not (the SDK sends a string data value unquoted)', async () => {
    // The SDK's binary encoder writes a string `data` as the body verbatim, so under application/json
    // the JSON string "ready" goes out as the invalid JSON text `ready` (JSON format §3.1.1 makes it a
    // JSON value, HTTP binding §2.2 makes the body its JSON text). Junction reports it rather than guess.
    const sent = new CloudEvent<unknown>({ ...base, id: 'unquoted', datacontenttype: 'application/json', data: 'ready' });
    const message = HTTP.binary(sent);
    expect(message.body).toBe('ready');
    const answer = await post('ready', stringHeaders(message.headers));
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.json).toMatchObject({ code: 'JUNCTION_EVENT_INVALID', errors: [{ path: 'body', message: expect.stringMatching(/not valid JSON/) }] });
  });

  it('refuses a raw Latin-1 header byte, which is how the SDK sends non-ASCII text in binary mode', async () => {
    // HTTP binding §3.1.3.2: a header value carries UTF-8, percent-encoded. The SDK encodes nothing, so
    // Node writes `é` as the single byte 0xE9 (and refuses characters beyond Latin-1 outright).
    const sent = new CloudEvent<unknown>({ ...base, id: 'latin-1', exnote: 'café', datacontenttype: 'application/json', data: { ok: true } });
    const answer = await emitterFor(httpTransport(mesh.ingress), { mode: Mode.BINARY })(sent);
    const problem = JSON.parse(String((answer as { body: string }).body));
    expect(problem).toMatchObject({ code: 'JUNCTION_EVENT_INVALID', errors: [{ path: 'exnote', message: 'header ce-exnote is not valid UTF-8 after percent-decoding' }] });
  });

  it('refuses a Binary extension the SDK writes as a JSON object in structured mode (JSON format §2.2: base64 string)', async () => {
    const sent = new CloudEvent<unknown>({ ...base, id: 'binary-extension', exbinary: new Uint8Array([1, 2, 3]) });
    const structured = JSON.parse(sent.toString()) as Record<string, unknown>;
    expect(structured.exbinary).toEqual({ 0: 1, 1: 2, 2: 3 });
    const answer = await post(sent.toString(), { 'content-type': 'application/cloudevents+json' });
    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([{ path: 'exbinary', message: 'must be a string, an integer or a boolean' }]);
  });

  it('refuses an Integer extension outside 32 bits, which the SDK builds and validates (spec.md "Type System")', async () => {
    const sent = new CloudEvent<unknown>({ ...base, id: 'big-integer', exbig: 2147483648 });
    expect(sent.validate()).toBe(true);
    const answer = await post(sent.toString(), { 'content-type': 'application/cloudevents+json' });
    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([{ path: 'exbig', message: 'must be an integer from -2147483648 to 2147483647 (32-bit signed)' }]);
  });

  it('keeps time exactly as the producer wrote it (the SDK reads it as milliseconds in UTC)', async () => {
    const time = '2026-12-04T11:00:00.123456789+01:00';
    const answer = await post(JSON.stringify({ specversion: '1.0', id: 'precise-time', source: '/orders', type: 'com.example.tick', time }), {
      'content-type': 'application/cloudevents+json',
    });
    expect(answer.status).toBe(202);
    const binary = await deliveredTo(mesh.binary, 'precise-time');
    expect(binary.request.headers['ce-time']).toBe('2026-12-04T11:00:00.123456789+01:00');
    const structured = await deliveredTo(mesh.structured, 'precise-time');
    expect(JSON.parse(structured.request.body.toString('utf8')).time).toBe(time);
    // The same instant, but the SDK's DateParser drops the sub-millisecond digits and the offset.
    expect(binary.event.time).toBe('2026-12-04T10:00:00.123Z');
    expect(structured.event.time).toBe('2026-12-04T10:00:00.123Z');
  });

  it('leaves time out when the producer sent none (the SDK stamps "now" on every event it reads)', async () => {
    const answer = await post(JSON.stringify({ specversion: '1.0', id: 'no-time', source: '/orders', type: 'com.example.tick' }), {
      'content-type': 'application/cloudevents+json',
    });
    expect(answer.status).toBe(202);
    const binary = await deliveredTo(mesh.binary, 'no-time');
    expect(binary.request.headers['ce-time']).toBeUndefined();
    const structured = await deliveredTo(mesh.structured, 'no-time');
    expect(JSON.parse(structured.request.body.toString('utf8'))).not.toHaveProperty('time');
  });
});

function stringHeaders(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
}
