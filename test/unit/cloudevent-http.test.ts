import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseHttpEvents,
  parseReply,
  toBinaryHttp,
  toStructuredJson,
  type CloudEvent,
  type HttpHeaders,
} from '../../core/cloudevent/index.js';
import { JunctionError } from '../../core/errors.js';

const base = { specversion: '1.0', id: 'A234-1234-1234', source: '/mycontext', type: 'com.example.someevent' };
const ceHeaders = { 'ce-specversion': '1.0', 'ce-id': 'A234-1234-1234', 'ce-source': '/mycontext', 'ce-type': 'com.example.someevent' };
const structured = { 'content-type': 'application/cloudevents+json; charset=utf-8' };
const batch = { 'content-type': 'application/cloudevents-batch+json; charset=utf-8' };
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const empty = Buffer.alloc(0);

function parseError(headers: HttpHeaders, body: Buffer): JunctionError {
  try {
    parseHttpEvents(headers, body);
  } catch (error) {
    if (error instanceof JunctionError) return error;
    throw error;
  }
  throw new Error('expected parseHttpEvents to throw');
}

describe('binary mode', () => {
  it('reads the binding example: ce- headers become attributes, JSON body becomes data', () => {
    const headers = { ...ceHeaders, 'ce-time': '2018-04-05T03:56:24Z', 'ce-source': '/mycontext/subcontext', 'content-type': 'application/json; charset=utf-8' };
    const parsed = parseHttpEvents(headers, json({ appinfoA: 'abc' }));
    expect(parsed).toEqual({
      mode: 'binary',
      events: [{ ...base, source: '/mycontext/subcontext', time: '2018-04-05T03:56:24Z', datacontenttype: 'application/json; charset=utf-8', data: { appinfoA: 'abc' } }],
    });
  });

  it('matches ce- header names case-insensitively', () => {
    const headers = { 'CE-SpecVersion': '1.0', 'Ce-Id': '1', 'cE-Source': '/s', 'CE-TYPE': 't', 'Content-Type': 'text/plain' };
    expect(parseHttpEvents(headers, Buffer.from('hi')).events).toEqual([{ specversion: '1.0', id: '1', source: '/s', type: 't', datacontenttype: 'text/plain', data: 'hi' }]);
  });

  it.each([
    ['the spec example', 'Euro%20%E2%82%AC%20%F0%9F%98%80', 'Euro € 😀'],
    ['lower-case hex', 'Euro%20%e2%82%ac', 'Euro €'],
    ['unnecessarily encoded characters', '%41%42c', 'ABc'],
    ['a double-quoted value with backslash escapes (older senders)', '"a \\"quoted\\" value"', 'a "quoted" value'],
    ['a quoted value that is percent-encoded inside', '"100%25 sure"', '100% sure'],
    ['raw UTF-8 bytes (Node reads them as latin1)', Buffer.from('Grüße').toString('latin1'), 'Grüße'],
  ])('percent-decodes header values: %s', (_name, headerValue, expected) => {
    const [event] = parseHttpEvents({ ...ceHeaders, 'ce-subject': headerValue }, empty).events;
    expect(event.subject).toBe(expected);
  });

  it.each([
    ['an overlong UTF-8 encoding', '%C0%A0', /not valid UTF-8/],
    ['a truncated UTF-8 sequence', 'x%E2%82', /not valid UTF-8/],
    ['a lone UTF-8 surrogate', '%ED%A0%80', /not valid UTF-8/],
    ['a bare percent sign', '100%', /two hex digits/],
    ['a bad escape', '%zz', /two hex digits/],
    ['an unterminated quote', '"open', /unterminated quoted string/],
  ])('rejects a header value with %s', (_name, headerValue, message) => {
    const error = parseError({ ...ceHeaders, 'ce-subject': headerValue }, empty);
    expect(error.code).toBe('JUNCTION_EVENT_INVALID');
    expect(error.problems).toEqual([{ path: 'subject', message: expect.stringMatching(message) }]);
  });

  const binaryData: [string, string | undefined, Buffer, Record<string, unknown>][] = [
    ['JSON object', 'application/json', json({ a: 1 }), { data: { a: 1 } }],
    ['JSON with +json suffix', 'application/vnd.example+json; charset=utf-8', json([1, 2]), { data: [1, 2] }],
    ['JSON string literal', 'application/json', Buffer.from('"I\'m just a string"'), { data: "I'm just a string" }],
    ['JSON number', 'application/json', Buffer.from('1.5'), { data: 1.5 }],
    ['JSON null', 'text/json', Buffer.from('null'), { data: null }],
    ['plain text', 'text/plain', Buffer.from('hello wörld'), { data: 'hello wörld' }],
    ['XML', 'application/xml', Buffer.from('<much wow="xml"/>'), { data: '<much wow="xml"/>' }],
    ['+xml suffix', 'application/atom+xml', Buffer.from('<feed/>'), { data: '<feed/>' }],
    ['form post', 'application/x-www-form-urlencoded', Buffer.from('a=1&b=2'), { data: 'a=1&b=2' }],
    ['any type with a UTF-8 charset', 'application/x-custom; charset=UTF-8', Buffer.from('txt'), { data: 'txt' }],
    ['text in another charset (kept as bytes)', 'text/plain; charset=iso-8859-1', Buffer.from([0x47, 0xfc]), { data_base64: 'R/w=' }],
    ['text that is not valid UTF-8 (kept as bytes)', 'text/plain', Buffer.from([0xff, 0xfe]), { data_base64: '//4=' }],
    ['opaque binary', 'application/vnd.apache.thrift.binary', Buffer.from([0, 1, 2, 3, 4]), { data_base64: 'AAECAwQ=' }],
    ['no content type', undefined, Buffer.from('{ "xyz": 123 }'), { data_base64: 'eyAieHl6IjogMTIzIH0=' }],
    ['empty body with a content type', 'application/json', empty, {}],
    ['empty body without a content type', undefined, empty, {}],
  ];

  it.each(binaryData)('reads the body: %s', (_name, contentType, body, expected) => {
    const headers: HttpHeaders = contentType === undefined ? ceHeaders : { ...ceHeaders, 'content-type': contentType };
    const [event] = parseHttpEvents(headers, body).events;
    expect(event).toEqual({ ...base, ...(contentType === undefined ? {} : { datacontenttype: contentType }), ...expected });
  });

  it('rejects a body that does not parse as the JSON its content type declares', () => {
    const error = parseError({ ...ceHeaders, 'content-type': 'application/json' }, Buffer.from('{"a":'));
    expect(error.status).toBe(400);
    expect(error.problems).toEqual([{ path: 'body', message: expect.stringMatching(/^is not valid JSON/) }]);
  });

  it('rejects ce-datacontenttype, ce-data and duplicate attribute headers', () => {
    const headers = { ...ceHeaders, 'ce-datacontenttype': 'text/plain', 'ce-data': 'x', 'ce-ext': ['a', 'b'] };
    expect(parseError(headers, empty).problems.map((problem) => problem.path)).toEqual(['datacontenttype', 'data', 'ext']);
  });

  it('lists the missing required attributes when a request is no CloudEvent at all', () => {
    const error = parseError({ 'content-type': 'application/json' }, json({ hello: 'world' }));
    expect(error.code).toBe('JUNCTION_EVENT_INVALID');
    expect(error.message).toBe('4 problems in the event');
    expect(error.problems).toEqual(['specversion', 'id', 'source', 'type'].map((path) => ({ path, message: 'required attribute is missing' })));
  });

  it('validates the attributes it read', () => {
    const error = parseError({ ...ceHeaders, 'ce-time': 'yesterday', 'ce-source': 'not a uri' }, empty);
    expect(error.message).toBe('2 problems in the event');
    expect(error.problems.map((problem) => problem.path).sort()).toEqual(['source', 'time']);
  });
});

describe('structured mode', () => {
  const xmlEvent = { ...base, id: 'B234-1234-1234', time: '2018-04-05T17:31:00Z', comexampleextension1: 'value', comexampleothervalue: 5, datacontenttype: 'application/xml', data: '<much wow="xml"/>' };

  it.each([
    ['XML data', xmlEvent],
    ['JSON data', { ...base, datacontenttype: 'application/json', data: { appinfoA: 'abc', appinfoB: 123, appinfoC: true } }],
    ['data_base64 (kept as given)', { ...base, datacontenttype: 'application/vnd.apache.thrift.binary', data_base64: 'AAECAwQ=' }],
    ['explicit null data', { ...base, data: null }],
  ])('reads a JSON-format event with %s', (_name, event) => {
    expect(parseHttpEvents(structured, json(event))).toEqual({ mode: 'structured', events: [event] });
  });

  it('treats null attributes as unset, but keeps null data', () => {
    const [event] = parseHttpEvents(structured, json({ ...base, subject: null, unsetextension: null, data: null })).events;
    expect(event).toEqual({ ...base, data: null });
  });

  it('matches the media type case-insensitively and ignores ce- headers next to it', () => {
    const headers = { 'content-type': 'Application/CloudEvents+JSON', 'ce-id': 'other' };
    expect(parseHttpEvents(headers, json(base)).events).toEqual([base]);
  });

  it.each([
    ['malformed JSON', Buffer.from('{"specversion": "1.0",'), /^is not valid JSON/],
    ['an empty body', empty, /^is not valid JSON/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), /not valid UTF-8/],
    ['a JSON array', json([base]), /must be a JSON object/],
    ['a JSON string', json('event'), /must be a JSON object/],
  ])('rejects %s with a problem at "body"', (_name, body, message) => {
    const error = parseError(structured, body);
    expect(error.code).toBe('JUNCTION_EVENT_INVALID');
    expect(error.problems).toEqual([{ path: 'body', message: expect.stringMatching(message) }]);
  });

  it.each(['application/cloudevents+avro', 'application/cloudevents-batch+protobuf', 'application/cloudevents'])(
    'rejects the unsupported event format %s with 415',
    (contentType) => {
      const error = parseError({ 'content-type': contentType }, Buffer.from('x'));
      expect(error.code).toBe('JUNCTION_UNSUPPORTED_MEDIA_TYPE');
      expect(error.status).toBe(415);
      expect(error.message).toContain(contentType);
    },
  );
});

describe('batched mode', () => {
  const specBatch = [
    { ...base, source: '/mycontext/4', id: 'B234-1234-1234', time: '2018-04-05T17:31:00Z', comexampleextension1: 'value', comexampleothervalue: 5, datacontenttype: 'application/vnd.apache.thrift.binary', data_base64: 'AAECAwQ=' },
    { ...base, type: 'com.example.someotherevent', source: '/mycontext/9', id: 'C234-1234-1234', time: '2018-04-05T17:31:05Z', datacontenttype: 'application/json', data: { appinfoA: 'abc', appinfoB: 123, appinfoC: true } },
  ];

  it('reads the spec batch example', () => {
    expect(parseHttpEvents(batch, json(specBatch))).toEqual({ mode: 'batch', events: specBatch });
  });

  it('accepts an empty batch', () => {
    expect(parseHttpEvents(batch, json([]))).toEqual({ mode: 'batch', events: [] });
  });

  it('rejects the whole batch, listing every problem with an indexed path', () => {
    const events = [base, { ...base, id: '' }, { ...base, source: 'a b', time: 'now' }, 'not an event'];
    const error = parseError(batch, json(events));
    expect(error.message).toBe('4 problems in the events');
    expect(error.problems).toEqual(
      expect.arrayContaining([
        { path: '[1].id', message: 'must be a non-empty string' },
        { path: '[2].source', message: expect.stringMatching(/URI-reference/) },
        { path: '[2].time', message: expect.stringMatching(/RFC 3339/) },
        { path: '[3]', message: expect.stringMatching(/must be a JSON object/) },
      ]),
    );
  });

  it('rejects a batch body that is not an array', () => {
    expect(parseError(batch, json(base)).problems).toEqual([{ path: 'body', message: expect.stringMatching(/JSON array/) }]);
  });
});

describe('toBinaryHttp', () => {
  const extensions = { time: '2018-04-05T17:31:00Z', comexampleextension1: 'value', comexampleothervalue: 5 };
  const specHeaders = { 'ce-specversion': '1.0', 'ce-type': 'com.example.someevent', 'ce-source': '/mycontext', 'ce-time': '2018-04-05T17:31:00Z', 'ce-comexampleextension1': 'value', 'ce-comexampleothervalue': '5' };

  // json-format.md §3.2: each JSON-format example and its binary-mode re-encoding.
  it.each([
    ['binary data', { ...base, ...extensions, datacontenttype: 'application/vnd.apache.thrift.binary', data_base64: 'AAECAwQ=' }, 'application/vnd.apache.thrift.binary', Buffer.from([0, 1, 2, 3, 4])],
    ['XML string data', { ...base, id: 'B234-1234-1234', ...extensions, unsetextension: null, datacontenttype: 'application/xml', data: '<much wow="xml"/>' }, 'application/xml', Buffer.from('<much wow="xml"/>')],
    ['JSON object data', { ...base, id: 'C234-1234-1234', ...extensions, datacontenttype: 'application/json', data: { appinfoA: 'abc', appinfoB: 123, appinfoC: true } }, 'application/json', json({ appinfoA: 'abc', appinfoB: 123, appinfoC: true })],
    ['JSON number data', { ...base, id: 'C234-1234-1234', ...extensions, datacontenttype: 'application/json', data: 1.5 }, 'application/json', Buffer.from('1.5')],
    ['string data without datacontenttype (quoted, application/json)', { ...base, id: 'D234-1234-1234', ...extensions, data: "I'm just a string" }, 'application/json', Buffer.from('"I\'m just a string"')],
    ['data_base64 without datacontenttype (no content-type)', { ...base, id: 'D234-1234-1234', ...extensions, data_base64: 'eyAieHl6IjogMTIzIH0=' }, undefined, Buffer.from('{ "xyz": 123 }')],
  ])('encodes the spec example with %s', (_name, event, contentType, body) => {
    const message = toBinaryHttp(event as CloudEvent);
    const expectedHeaders: Record<string, string> = { ...specHeaders, 'ce-id': event.id };
    if (contentType !== undefined) expectedHeaders['content-type'] = contentType;
    expect(message.headers).toEqual(expectedHeaders);
    expect(message.body).toEqual(body);
  });

  it.each([
    ['the spec example', 'Euro € 😀', 'Euro%20%E2%82%AC%20%F0%9F%98%80'],
    ['space, double-quote and percent', 'say "100%" now', 'say%20%22100%25%22%20now'],
    ['printable ASCII left alone', "a-z_A.Z~0:9/?#[]@!$&'()*+,;=`{|}^\\<>", "a-z_A.Z~0:9/?#[]@!$&'()*+,;=`{|}^\\<>"],
    ['control characters and latin1', 'tab\there\u00e9', 'tab%09here%C3%A9'],
  ])('percent-encodes header values: %s', (_name, subject, header) => {
    expect(toBinaryHttp({ ...base, subject }).headers['ce-subject']).toBe(header);
  });

  it('writes booleans and integers as their canonical strings and sends no body without data', () => {
    const message = toBinaryHttp({ ...base, flag: true, count: -42 });
    expect(message.headers).toMatchObject({ 'ce-flag': 'true', 'ce-count': '-42' });
    expect(message.body).toBeUndefined();
  });

  it('keeps datacontenttype as Content-Type even without data', () => {
    expect(toBinaryHttp({ ...base, datacontenttype: 'text/plain' }).headers['content-type']).toBe('text/plain');
  });
});

describe('round trips', () => {
  const events: [string, CloudEvent][] = [
    ['unicode, space, quote and percent in attributes', { ...base, subject: 'Euro € 😀 "quoted" 100%', comexampleextension1: 'naïve café' }],
    ['text data', { ...base, datacontenttype: 'text/plain; charset=utf-8', data: 'line 1\nline 2 ✓' }],
    ['JSON data', { ...base, datacontenttype: 'application/vnd.example.order+json', data: { nested: [1, 'two', null] } }],
    ['JSON string data', { ...base, datacontenttype: 'application/json', data: 'just a string' }],
    ['binary data', { ...base, datacontenttype: 'image/png', data_base64: 'iVBORw0KGgo=' }],
    ['binary data without a content type', { ...base, data_base64: '//79/A==' }],
  ];

  it.each(events)('binary mode preserves the event: %s', (_name, event) => {
    const { headers, body } = toBinaryHttp(event);
    expect(parseHttpEvents(headers, body ?? empty).events).toEqual([event]);
  });

  it('binary mode makes the implied application/json explicit', () => {
    const { headers, body } = toBinaryHttp({ ...base, data: { a: 1 } });
    expect(parseHttpEvents(headers, body ?? empty).events).toEqual([{ ...base, datacontenttype: 'application/json', data: { a: 1 } }]);
  });

  it.each(events)('structured mode preserves the event: %s', (_name, event) => {
    expect(parseHttpEvents(structured, Buffer.from(toStructuredJson(event))).events).toEqual([event]);
  });
});

describe('over real HTTP', () => {
  let server: Server;
  let url: string;
  let received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
  // The server answers with whatever the test put in `answer`.
  let answer: { status: number; headers: Record<string, string>; body?: Buffer } = { status: 202, headers: {} };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, answer.headers).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers a binary-mode event that a Node server reads back unchanged', async () => {
    received = [];
    answer = { status: 202, headers: {} };
    const event: CloudEvent = { ...base, subject: 'Grüße "aus" 100% 😀', datacontenttype: 'application/json', data: { ok: true } };
    const { headers, body } = toBinaryHttp(event);
    const response = await request(url, { method: 'POST', headers, body });
    await response.body.dump();
    expect(response.statusCode).toBe(202);
    expect(parseHttpEvents(received[0].headers, received[0].body)).toEqual({ mode: 'binary', events: [event] });
  });

  const replyEvent: CloudEvent = { ...base, id: 'reply-1', type: 'com.example.reply', subject: 'ünïcode' };
  const binaryReply = toBinaryHttp({ ...replyEvent, data: { done: true } });

  it.each([
    ['200 with an empty body', { status: 200, headers: {} }, { kind: 'none' }],
    ['200 with plain JSON', { status: 200, headers: { 'content-type': 'application/json' }, body: json({ ok: true }) }, { kind: 'none' }],
    ['204 No Content', { status: 204, headers: {} }, { kind: 'none' }],
    ['500 with ce- headers', { status: 500, headers: binaryReply.headers, body: binaryReply.body }, { kind: 'none' }],
    ['200 with a binary-mode event', { status: 200, headers: binaryReply.headers, body: binaryReply.body }, { kind: 'event', event: { ...replyEvent, datacontenttype: 'application/json', data: { done: true } } }],
    ['200 with a structured event', { status: 200, headers: structured, body: Buffer.from(toStructuredJson(replyEvent)) }, { kind: 'event', event: replyEvent }],
    ['200 with a batch of one', { status: 200, headers: batch, body: json([replyEvent]) }, { kind: 'event', event: replyEvent }],
    ['200 with an empty batch', { status: 200, headers: batch, body: json([]) }, { kind: 'none' }],
  ])('parseReply reads %s', async (_name, served, expected) => {
    answer = served;
    const response = await request(url, { method: 'POST', body: 'x' });
    const body = Buffer.from(await response.body.arrayBuffer());
    expect(parseReply(response.statusCode, response.headers, body)).toEqual(expected);
  });

  it.each([
    ['a lone ce- header', { status: 200, headers: { 'ce-id': '1' } }, ['specversion', 'source', 'type']],
    ['a structured body that is not JSON', { status: 200, headers: structured, body: Buffer.from('oops') }, ['body']],
    ['a structured event missing its type', { status: 202, headers: structured, body: json({ ...base, type: undefined }) }, ['type']],
    ['a batch of two', { status: 200, headers: batch, body: json([replyEvent, replyEvent]) }, ['body']],
    ['an unsupported event format', { status: 200, headers: { 'content-type': 'application/cloudevents+avro' }, body: Buffer.from('x') }, ['content-type']],
  ])('parseReply marks %s as an invalid reply', async (_name, served, paths) => {
    answer = served;
    const response = await request(url, { method: 'POST', body: 'x' });
    const body = Buffer.from(await response.body.arrayBuffer());
    const reply = parseReply(response.statusCode, response.headers, body);
    expect(reply.kind).toBe('invalid');
    expect(reply.kind === 'invalid' && reply.problems.map((problem) => problem.path)).toEqual(paths);
  });
});
