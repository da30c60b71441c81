import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, structuredEvent, type TestJunction } from '../support/junction.js';

// Issue #13 (broker hardening): protocol defects found by adversarial testing — a batch that can
// never fit the burst, watches outliving their token, trace context lost at the broker, repeated
// context attribute headers joined into one value.

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TRACESTATE = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';

let junction: TestJunction;
let admin: string;

/** A request with the admin token; `headers` values may repeat a header (an array sends it twice). */
async function send(path: string, body: string, headers: Record<string, string | string[]>, token = admin) {
  const response = await request(`${junction.url}${path}`, { method: 'POST', body, headers: { ...headers, authorization: `Bearer ${token}` } });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

/** Waits until a resource is Ready=True, reading it with the admin token (auth is on). */
async function waitReady(plural: string, namespace: string, name: string): Promise<void> {
  await eventually(async () => {
    const response = await request(`${junction.url}/apis/eventing.knative.dev/v1/namespaces/${namespace}/${plural}/${name}`, { headers: { authorization: `Bearer ${admin}` } });
    const resource = (await response.body.json()) as { status?: { conditions?: Array<{ type: string; status: string }> } };
    expect(resource.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
  }, 10_000);
}

const binary = (id: string, type = 'com.example.order') => ({ 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/shop', 'ce-type': type, 'content-type': 'application/json' });

beforeAll(async () => {
  junction = await startTestJunction({
    'auth.mode': 'on',
    'quotas.namespaces': { burst: { ingestPerSecond: 0.001, ingestBurst: 3 }, rate: { ingestPerSecond: 2 } },
  });
  admin = readFileSync(join(junction.dataDir, 'admin.token'), 'utf8').trim();
});
afterAll(async () => junction?.stop());

describe('a batch larger than the ingest burst', () => {
  beforeAll(async () => {
    for (const namespace of ['burst', 'rate']) {
      await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace }, spec: {} }, admin);
      await waitReady('brokers', namespace, 'default');
    }
  });
  const batch = (count: number) => JSON.stringify(Array.from({ length: count }, () => JSON.parse(structuredEvent())));

  it('is refused 413 JUNCTION_QUOTA_BATCH_SIZE naming the limit, without Retry-After, and takes nothing from the budget', async () => {
    const tooBig = await send('/burst/default', batch(4), { 'content-type': 'application/cloudevents-batch+json' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers['content-type']).toContain('application/problem+json');
    expect(tooBig.headers['retry-after']).toBeUndefined();
    expect(tooBig.json).toMatchObject({ code: 'JUNCTION_QUOTA_BATCH_SIZE', limit: 3 });
    expect(tooBig.json.detail).toContain('ingestBurst of 3');

    // The full burst is still there: a batch that fits is accepted, and only then is the rate quota (429) reached.
    expect((await send('/burst/default', batch(3), { 'content-type': 'application/cloudevents-batch+json' })).status).toBe(202);
    const limited = await send('/burst/default', batch(1), { 'content-type': 'application/cloudevents-batch+json' });
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe('JUNCTION_QUOTA_RATE');
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('without ingestBurst the limit is ingestPerSecond, and the message says so', async () => {
    const tooBig = await send('/rate/default', batch(3), { 'content-type': 'application/cloudevents-batch+json' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json).toMatchObject({ code: 'JUNCTION_QUOTA_BATCH_SIZE', limit: 2 });
    expect(tooBig.json.detail).toContain('ingestBurst (unset, so ingestPerSecond) of 2');
    expect((await send('/rate/default', batch(2), { 'content-type': 'application/cloudevents-batch+json' })).status).toBe(202);
  });
});

/** An open `?watch=true` stream: its NDJSON lines as they come, and whether the server ended it. */
async function openWatch(path: string, token: string) {
  const response = await request(`${junction.url}${path}?watch=true`, { headers: { authorization: `Bearer ${token}` }, bodyTimeout: 0 });
  expect(response.statusCode).toBe(200);
  const lines: any[] = [];
  const wakers = new Set<() => void>();
  let buffered = '';
  let closed = false;
  const ended = (async () => {
    try {
      await read();
    } catch (error) {
      if (!closed) throw error;
    }
    return lines;
  })();
  async function read() {
    for await (const chunk of response.body) {
      buffered += (chunk as Buffer).toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffered.slice(0, newline)));
        buffered = buffered.slice(newline + 1);
      }
      for (const wake of wakers) wake();
    }
  }
  /** Resolves once a line matches `test` (bounded by the test timeout). */
  const waitFor = (test: (line: any) => boolean) =>
    new Promise<any>((resolve) => {
      const check = () => {
        const found = lines.find(test);
        if (found === undefined) return;
        wakers.delete(check);
        resolve(found);
      };
      wakers.add(check);
      check();
    });
  return {
    lines,
    ended,
    waitFor,
    close: () => {
      closed = true;
      response.body.destroy();
    },
  };
}

describe('a watch whose token is revoked', () => {
  it('ends with an ERROR line (JUNCTION_UNAUTHENTICATED) while a watch of another token goes on', async () => {
    const token = async () => (await send('/apis/junction.dev/v1/namespaces/watched/tokens', JSON.stringify({ role: 'read' }), { 'content-type': 'application/json' })).json;
    const doomed = await token();
    const other = await token();
    await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'one', namespace: 'watched' }, spec: {} }, admin);
    const path = '/apis/eventing.knative.dev/v1/namespaces/watched/brokers';
    const revoked = await openWatch(path, doomed.token);
    const kept = await openWatch(path, other.token);
    try {
      await revoked.waitFor((line) => line.object?.metadata?.name === 'one');
      await kept.waitFor((line) => line.object?.metadata?.name === 'one');

      const answer = await request(`${junction.url}/apis/junction.dev/v1/namespaces/watched/tokens/${doomed.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
      expect(answer.statusCode).toBe(200);
      await answer.body.text();

      const lines = await revoked.ended; // the server ended the stream
      expect(lines.at(-1)).toMatchObject({ type: 'ERROR', object: { status: 401, code: 'JUNCTION_UNAUTHENTICATED' } });
      expect(lines.at(-1).object.detail).toContain(`token ${doomed.id} was revoked`);

      // The other token's watch still streams: a later change reaches it.
      await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'two', namespace: 'watched' }, spec: {} }, admin);
      await kept.waitFor((line) => line.type === 'ADDED' && line.object?.metadata?.name === 'two');
      expect(revoked.lines.some((line) => line.object?.metadata?.name === 'two')).toBe(false);
    } finally {
      revoked.close();
      kept.close();
    }
  });
});

describe('trace context', () => {
  let first: HttpSubscriber;
  let replies: HttpSubscriber;
  let failing: HttpSubscriber;
  let deadLetters: HttpSubscriber;

  beforeAll(async () => {
    first = await startHttpSubscriber(() => ({ status: 200, headers: { 'ce-specversion': '1.0', 'ce-id': `reply-${Math.random()}`, 'ce-source': '/first', 'ce-type': 'com.example.reply' } }));
    replies = await startHttpSubscriber();
    failing = await startHttpSubscriber([{ status: 400 }]);
    deadLetters = await startHttpSubscriber();
    const [broker, trigger] = brokerWithTrigger({ namespace: 'trace', trigger: 'first', subscriberUrl: first.url, filter: { filter: { attributes: { type: 'com.example.order' } } } });
    const [, replyTrigger] = brokerWithTrigger({ namespace: 'trace', trigger: 'replies', subscriberUrl: replies.url, filter: { filter: { attributes: { type: 'com.example.reply' } } } });
    const [, failingTrigger] = brokerWithTrigger({
      namespace: 'trace',
      trigger: 'failing',
      subscriberUrl: failing.url,
      filter: { filter: { attributes: { type: 'com.example.doomed' } } },
      delivery: { retry: 0, deadLetterSink: { uri: deadLetters.url } },
    });
    for (const resource of [broker, trigger, replyTrigger, failingTrigger]) await junction.apply(resource, admin);
    await waitReady('brokers', 'trace', 'default');
    for (const name of ['first', 'replies', 'failing']) await waitReady('triggers', 'trace', name);
  });
  afterAll(async () => {
    for (const subscriber of [first, replies, failing, deadLetters]) await subscriber?.close();
  });

  it('a binary event with W3C traceparent/tracestate headers reaches the subscriber with the same headers and the extension', async () => {
    expect((await send('/trace/default', '{}', { ...binary('traced-binary'), traceparent: TRACEPARENT, tracestate: TRACESTATE })).status).toBe(202);
    const [received] = await first.waitForRequests(1);
    expect(received.headers['ce-id']).toBe('traced-binary');
    expect(received.headers.traceparent).toBe(TRACEPARENT);
    expect(received.headers.tracestate).toBe(TRACESTATE);
    expect(received.headers['ce-traceparent']).toBe(TRACEPARENT);
    expect(received.headers['ce-tracestate']).toBe(TRACESTATE);
  });

  it("the reply continues the trace: the reply's subscriber gets the original traceparent as header and extension", async () => {
    const [reply] = await replies.waitForRequests(1);
    expect(reply.headers['ce-type']).toBe('com.example.reply');
    expect(reply.headers.traceparent).toBe(TRACEPARENT);
    expect(reply.headers.tracestate).toBe(TRACESTATE);
    expect(reply.headers['ce-traceparent']).toBe(TRACEPARENT);
  });

  it('a structured event with the Distributed Tracing extension gives the subscriber the W3C headers', async () => {
    const event = structuredEvent({ id: 'traced-structured', type: 'com.example.order', traceparent: TRACEPARENT });
    expect((await send('/trace/default', event, { 'content-type': 'application/cloudevents+json' })).status).toBe(202);
    const received = (await first.waitForRequests(2))[1];
    expect(received.headers['ce-id']).toBe('traced-structured');
    expect(received.headers.traceparent).toBe(TRACEPARENT);
    expect(received.headers.tracestate).toBeUndefined();
  });

  it('a malformed traceparent extension stays an extension only; a repeated traceparent header is ignored (W3C)', async () => {
    expect((await send('/trace/default', '{}', { ...binary('bad-trace'), 'ce-traceparent': 'not-a-trace%C3%A9' })).status).toBe(202);
    expect((await send('/trace/default', '{}', { ...binary('two-parents'), traceparent: [TRACEPARENT, TRACEPARENT.replace('-01', '-00')] })).status).toBe(202);
    const received = await first.waitForRequests(4);
    const bad = received.find((r) => r.headers['ce-id'] === 'bad-trace');
    expect(bad?.headers['ce-traceparent']).toBe('not-a-trace%C3%A9');
    expect(bad?.headers.traceparent).toBeUndefined();
    const twoParents = received.find((r) => r.headers['ce-id'] === 'two-parents');
    expect(twoParents?.headers.traceparent).toBeUndefined();
    expect(twoParents?.headers['ce-traceparent']).toBeUndefined();
  });

  it('the dead-letter sink gets the traceparent header too', async () => {
    expect((await send('/trace/default', '{}', { ...binary('traced-doomed', 'com.example.doomed'), traceparent: TRACEPARENT })).status).toBe(202);
    const [parked] = await deadLetters.waitForRequests(1);
    expect(parked.headers['ce-id']).toBe('traced-doomed');
    expect(parked.headers['ce-knativeerrorcode']).toBe('400');
    expect(parked.headers.traceparent).toBe(TRACEPARENT);
  });
});

describe('repeated headers', () => {
  let subscriber: HttpSubscriber;
  beforeAll(async () => {
    subscriber = await startHttpSubscriber();
    for (const resource of brokerWithTrigger({ namespace: 'repeat', subscriberUrl: subscriber.url })) await junction.apply(resource, admin);
    await waitReady('brokers', 'repeat', 'default');
    await waitReady('triggers', 'repeat', 'trigger');
  });
  afterAll(async () => subscriber?.close());

  it('a repeated context attribute header is 400 JUNCTION_EVENT_INVALID and is not stored; other repeated headers keep HTTP semantics', async () => {
    const twice = await send('/repeat/default', '{}', { ...binary('dup'), 'ce-id': ['dup', 'dup'] });
    expect(twice.status).toBe(400);
    expect(twice.headers['content-type']).toContain('application/problem+json');
    expect(twice.json.code).toBe('JUNCTION_EVENT_INVALID');
    expect(twice.json.errors).toEqual([{ path: 'id', message: 'must appear only once' }]);

    const extension = await send('/repeat/default', '{}', { ...binary('dup-ext'), 'ce-region': ['eu', 'us'] });
    expect(extension.status).toBe(400);
    expect(extension.json.errors).toEqual([{ path: 'region', message: 'must appear only once' }]);

    const ordinary = await send('/repeat/default', '{}', { ...binary('fine'), 'x-forwarded-for': ['10.0.0.1', '10.0.0.2'], accept: ['application/json', 'text/plain'] });
    expect(ordinary.status).toBe(202);
    // Ingress keeps order, so had a refused event been stored it would have arrived before this one.
    const [only] = await subscriber.waitForRequests(1);
    expect(only.headers['ce-id']).toBe('fine');
  });
});
