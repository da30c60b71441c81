import { describe, expect, it } from 'vitest';
import { eventJson, parseHttpEvents, toBinaryHttp, toStructuredJson } from '../../core/cloudevent/index.js';

const ceHeaders = { 'ce-specversion': '1.0', 'ce-id': 'r-1', 'ce-source': '/received', 'ce-type': 'com.example.received', 'content-type': 'application/json' };
const parse = (body: string, headers: Record<string, string> = ceHeaders) => parseHttpEvents(headers, Buffer.from(body)).events[0]!;

describe('received JSON data is forwarded as received', () => {
  // Digits beyond a double's precision tell the received text from a re-serialised value.
  const body = '{"amount": 12345678901234567890, "items": ["a", "b"]}';

  it('delivers the received bytes of binary-mode JSON data, not a re-serialisation', () => {
    const event = parse(body);
    expect(toBinaryHttp(event).body!.toString()).toBe(body);
    expect(JSON.stringify(event.data)).not.toBe(body);
  });

  it('stores and delivers structured JSON with the received data text and every attribute', () => {
    const event = parse(body);
    event.knativearrivaltime = '2026-12-04T20:00:00Z';
    const text = eventJson(event);
    expect(text).toContain(`"data":${body}`);
    expect(toStructuredJson(event)).toBe(text);
    const { data, ...attributes } = JSON.parse(text);
    expect(attributes).toEqual({ specversion: '1.0', id: 'r-1', source: '/received', type: 'com.example.received', datacontenttype: 'application/json', knativearrivaltime: '2026-12-04T20:00:00Z' });
    expect(data).toEqual(event.data);
    // The attributes are left as they were (the data member is only set aside while serialising).
    expect(Object.keys(event)).toContain('data');
    expect(event.data).toEqual(JSON.parse(body));
  });

  it('serialises data that was replaced after parsing', () => {
    const event = parse(body);
    event.data = { replaced: true };
    expect(toBinaryHttp(event).body!.toString()).toBe('{"replaced":true}');
    expect(JSON.parse(eventJson(event)).data).toEqual({ replaced: true });
  });

  it('keeps a JSON string value quoted, and text and binary data as before', () => {
    expect(toBinaryHttp(parse(' "quoted" ')).body!.toString()).toBe(' "quoted" ');
    const text = parse('plain text', { ...ceHeaders, 'content-type': 'text/plain' });
    expect(toBinaryHttp(text).body!.toString()).toBe('plain text');
    expect(JSON.parse(eventJson(text)).data).toBe('plain text');
  });

  it('does not keep the text of structured-mode data (re-serialised, same value)', () => {
    const event = parse(JSON.stringify({ specversion: '1.0', id: 's', source: '/s', type: 't', data: { amount: 1 } }), { 'content-type': 'application/cloudevents+json' });
    expect(toBinaryHttp(event).body!.toString()).toBe('{"amount":1}');
  });
});
