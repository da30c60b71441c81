import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { useTriggerPerSuite } from '../support/broker-fixture.js';
import { sendSentinel } from '../support/drained.js';
import { structuredEvent } from '../support/junction.js';

describe('broker ingress (CloudEvents HTTP binding)', () => {
  const fixture = useTriggerPerSuite({ 'ingress.maxBodyBytes': 2048 });

  const received = async (count: number) => (await fixture.subscriber.waitForRequests(count)).slice(count - 1)[0];

  it('accepts a binary-mode event with 202 and delivers it with percent-encoded headers intact', async () => {
    const before = fixture.subscriber.requests.length;
    const answer = await fixture.junction.post('/default/default', '{"n":1}', {
      'ce-specversion': '1.0',
      'ce-id': 'bin-1',
      'ce-source': '/ingress/test',
      'ce-type': 'com.example.binary',
      'ce-subject': 'Euro %E2%82%AC %22quoted%22 100%25',
      'content-type': 'application/json',
    });
    expect(answer.status).toBe(202);
    const delivered = await received(before + 1);
    expect(delivered.headers['ce-id']).toBe('bin-1');
    expect(decodeURIComponent(String(delivered.headers['ce-subject']))).toBe('Euro € "quoted" 100%');
    expect(JSON.parse(delivered.body.toString())).toEqual({ n: 1 });
    expect(delivered.headers['ce-knativearrivaltime']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('accepts a structured-mode event and keeps data_base64 as bytes', async () => {
    const before = fixture.subscriber.requests.length;
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const answer = await fixture.junction.post('/default/default', structuredEvent({ id: 'st-1', datacontenttype: 'application/octet-stream', data_base64: bytes.toString('base64') }), {
      'content-type': 'application/cloudevents+json; charset=utf-8',
    });
    expect(answer.status).toBe(202);
    const delivered = await received(before + 1);
    expect(delivered.headers['ce-id']).toBe('st-1');
    expect(delivered.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(delivered.body, bytes)).toBe(0);
  });

  it('accepts a batch all-or-nothing', async () => {
    const before = fixture.subscriber.requests.length;
    const good = `[${structuredEvent({ id: 'b-1' })},${structuredEvent({ id: 'b-2' })}]`;
    expect((await fixture.junction.post('/default/default', good, { 'content-type': 'application/cloudevents-batch+json' })).status).toBe(202);
    await fixture.subscriber.waitForRequests(before + 2);
    const ids = fixture.subscriber.requests.slice(before).map((r) => r.headers['ce-id']);
    expect(ids.sort()).toEqual(['b-1', 'b-2']);

    const bad = `[${structuredEvent({ id: 'b-3' })},{"specversion":"1.0","id":"b-4"}]`;
    const refused = await fixture.junction.post('/default/default', bad, { 'content-type': 'application/cloudevents-batch+json' });
    expect(refused.status).toBe(400);
    expect(refused.json.code).toBe('JUNCTION_EVENT_INVALID');
    expect(refused.json.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['[1].source', '[1].type']));
    // Had b-3 been kept, it would be in the log before the sentinel: delivered by the time the sentinel is.
    await sendSentinel(fixture.junction, { subscribers: [fixture.subscriber], triggers: ['trigger'] });
    expect(fixture.subscriber.requests.map((r) => r.headers['ce-id'])).not.toContain('b-3');
  });

  it('lists every violation of an invalid event in a problem document', async () => {
    const answer = await fixture.junction.post('/default/default', JSON.stringify({ specversion: '0.3', id: '', source: 'has space', type: 'x', time: 'yesterday', BadExt: 1 }), {
      'content-type': 'application/cloudevents+json',
    });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.json.code).toBe('JUNCTION_EVENT_INVALID');
    const paths = answer.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['specversion', 'id', 'source', 'time']));
    expect(paths.length).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ['unknown broker', '/default/nope', 'POST', { 'content-type': 'application/cloudevents+json' }, structuredEvent(), 404, 'JUNCTION_BROKER_NOT_FOUND'],
    ['wrong method', '/default/default', 'GET', {}, undefined, 405, 'JUNCTION_METHOD_NOT_ALLOWED'],
    ['too large', '/default/default', 'POST', { 'content-type': 'application/cloudevents+json' }, structuredEvent({ data: 'x'.repeat(4096) }), 413, 'JUNCTION_EVENT_TOO_LARGE'],
    ['unsupported format', '/default/default', 'POST', { 'content-type': 'application/cloudevents+avro' }, 'xx', 415, 'JUNCTION_UNSUPPORTED_MEDIA_TYPE'],
    ['malformed JSON', '/default/default', 'POST', { 'content-type': 'application/cloudevents+json' }, '{"specversion":', 400, 'JUNCTION_EVENT_INVALID'],
    ['no event at all', '/default/default', 'POST', { 'content-type': 'text/plain' }, 'hello', 400, 'JUNCTION_EVENT_INVALID'],
  ])('answers %s with a problem document', async (_name, path, method, headers, body, status, code) => {
    const response = await request(`${fixture.junction.url}${path}`, { method: method as 'GET' | 'POST', headers, body });
    const json = (await response.body.json()) as { code: string; status: number };
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(json.code).toBe(code);
    expect(json.status).toBe(status);
  });

  it('answers the CloudEvents webhook validation handshake', async () => {
    const response = await request(`${fixture.junction.url}/default/default`, { method: 'OPTIONS', headers: { 'webhook-request-origin': 'eventemitter.example.com' } });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
    expect(response.headers['webhook-allowed-origin']).toBe('eventemitter.example.com');
    expect(response.headers['webhook-allowed-rate']).toBe('*');
    expect(String(response.headers.allow)).toContain('POST');
  });

  it('propagates traceparent and tracestate to the subscriber', async () => {
    const before = fixture.subscriber.requests.length;
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect((await fixture.junction.post('/default/default', structuredEvent({ id: 'tr-1' }), { 'content-type': 'application/cloudevents+json', traceparent, tracestate: 'k=v' })).status).toBe(202);
    const delivered = await received(before + 1);
    expect(delivered.headers['ce-traceparent'] ?? delivered.headers.traceparent).toBe(traceparent);
    expect(delivered.headers['ce-tracestate'] ?? delivered.headers.tracestate).toBe('k=v');
  });

  it('answers 503 for a broker whose channel cannot be opened, and reports why', async () => {
    await fixture.junction.apply({
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Broker',
      metadata: { name: 'on-kafka', namespace: 'default', annotations: { 'junction.dev/channel': 'kafka' } },
      spec: {},
    });
    let status: any;
    for (let i = 0; i < 100 && !status?.conditions; i++) {
      status = (await request(`${fixture.junction.url}/apis/eventing.knative.dev/v1/namespaces/default/brokers/on-kafka`).then((r) => r.body.json()) as any).status;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ready = status.conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready.status).toBe('False');
    expect(ready.message).toContain('kafka');
    const answer = await fixture.junction.post('/default/on-kafka', structuredEvent(), { 'content-type': 'application/cloudevents+json' });
    expect(answer.status).toBe(503);
    expect(answer.json.code).toBe('JUNCTION_BROKER_NOT_READY');
  });

  it('records EventTypes for what flows', async () => {
    await fixture.junction.post('/default/default', structuredEvent({ type: 'com.example.catalogued', source: '/catalog', dataschema: 'https://example.com/schema.json' }), {
      'content-type': 'application/cloudevents+json',
    });
    let items: Array<{ spec: { type: string; source: string; schema?: string } }> = [];
    for (let i = 0; i < 100; i++) {
      items = ((await request(`${fixture.junction.url}/apis/eventing.knative.dev/v1beta2/namespaces/default/eventtypes`).then((r) => r.body.json())) as any).items;
      if (items.some((item) => item.spec.type === 'com.example.catalogued')) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const recorded = items.find((item) => item.spec.type === 'com.example.catalogued');
    expect(recorded?.spec).toMatchObject({ source: '/catalog', schema: 'https://example.com/schema.json' });
  });
});
