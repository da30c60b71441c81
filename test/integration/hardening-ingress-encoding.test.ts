import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTriggerPerSuite } from '../support/broker-fixture.js';
import { sendSentinel } from '../support/drained.js';
import { structuredEvent } from '../support/junction.js';

// Issue #13: a `content-encoding: gzip` body was read as the event itself ("not valid UTF-8").
// Ingress now decodes gzip, applies its body limit to the decoded bytes, and refuses other codings.
describe('ingress content-encoding', () => {
  const limit = 4096;
  const fixture = useTriggerPerSuite({ 'ingress.maxBodyBytes': limit });
  const received = async (count: number) => (await fixture.subscriber.waitForRequests(count)).slice(count - 1)[0];

  it('accepts a gzip structured-mode event and delivers it decoded', async () => {
    const before = fixture.subscriber.requests.length;
    const body = gzipSync(structuredEvent({ id: 'gz-structured', datacontenttype: 'application/json', data: { greeting: 'grüß dich' } }));
    const answer = await fixture.junction.post('/default/default', body, { 'content-type': 'application/cloudevents+json', 'content-encoding': 'gzip' });
    expect(answer.status, JSON.stringify(answer.json)).toBe(202);
    const delivered = await received(before + 1);
    expect(delivered.headers['ce-id']).toBe('gz-structured');
    expect(delivered.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(delivered.body.toString('utf8'))).toEqual({ greeting: 'grüß dich' });
  });

  it('accepts a binary-mode body gzipped twice (two codings) and delivers its bytes', async () => {
    const before = fixture.subscriber.requests.length;
    const data = Buffer.from([0, 1, 2, 250, 255, 31, 139]);
    const answer = await fixture.junction.post('/default/default', gzipSync(gzipSync(data)), {
      'ce-specversion': '1.0',
      'ce-id': 'gz-binary',
      'ce-source': '/gzip',
      'ce-type': 'com.example.gzip',
      'content-type': 'application/octet-stream',
      'content-encoding': 'gzip, x-gzip',
    });
    expect(answer.status, JSON.stringify(answer.json)).toBe(202);
    const delivered = await received(before + 1);
    expect(delivered.headers['ce-id']).toBe('gz-binary');
    expect(Buffer.compare(delivered.body, data)).toBe(0);
  });

  it('answers 413 for a gzip bomb: the limit counts decoded bytes, and nothing is stored', async () => {
    // 64 MiB of zeros gzipped twice is well under the 4 KiB limit on the wire; only decoding passes it.
    const bomb = gzipSync(gzipSync(Buffer.from(structuredEvent({ id: 'gz-bomb', data: '0'.repeat(64 * 1024 * 1024) }))));
    expect(bomb.length).toBeLessThan(limit);
    const small = gzipSync(Buffer.from(structuredEvent({ id: 'gz-too-big', data: 'x'.repeat(limit) })));
    expect(small.length).toBeLessThan(limit);
    for (const [body, encoding] of [
      [bomb, 'gzip, gzip'],
      [small, 'gzip'],
    ] as const) {
      const answer = await fixture.junction.post('/default/default', body, { 'content-type': 'application/cloudevents+json', 'content-encoding': encoding });
      expect(answer.status).toBe(413);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json.code).toBe('JUNCTION_EVENT_TOO_LARGE');
    }
    await sendSentinel(fixture.junction, { subscribers: [fixture.subscriber], triggers: ['trigger'] });
    const ids = fixture.subscriber.requests.map((request) => request.headers['ce-id']);
    expect(ids).not.toContain('gz-bomb');
    expect(ids).not.toContain('gz-too-big');
  });

  it('answers 400 with a code for a body that is not gzip at all', async () => {
    const answer = await fixture.junction.post('/default/default', structuredEvent({ id: 'gz-liar' }), {
      'content-type': 'application/cloudevents+json',
      'content-encoding': 'gzip',
    });
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe('JUNCTION_BAD_REQUEST');
    expect(answer.json.detail).toMatch(/not valid gzip/);
  });

  it.each(['br', 'deflate', 'compress', 'gzip, zstd'])('answers 415 JUNCTION_CONTENT_ENCODING_UNSUPPORTED for content-encoding %s, naming gzip', async (coding) => {
    const answer = await fixture.junction.post('/default/default', structuredEvent({ id: `enc-${coding}` }), {
      'content-type': 'application/cloudevents+json',
      'content-encoding': coding,
    });
    expect(answer.status).toBe(415);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json.code).toBe('JUNCTION_CONTENT_ENCODING_UNSUPPORTED');
    expect(answer.headers['accept-encoding']).toBe('gzip');
  });

  it('treats content-encoding identity as no encoding', async () => {
    const before = fixture.subscriber.requests.length;
    const answer = await fixture.junction.post('/default/default', structuredEvent({ id: 'enc-identity' }), {
      'content-type': 'application/cloudevents+json',
      'content-encoding': 'identity',
    });
    expect(answer.status).toBe(202);
    expect((await received(before + 1)).headers['ce-id']).toBe('enc-identity');
  });
});
