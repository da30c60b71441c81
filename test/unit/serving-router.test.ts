import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Replica } from '../../serving/backends/backend.js';
import { pickTraffic, RevisionProxy, type RevisionProxyOptions, type RouteTarget } from '../../serving/router/index.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A replica: a real HTTP server on port 0 that counts what it sees. */
async function startReplica(id: string, handler: Handler): Promise<Replica & { seen: string[]; now: number; max: number }> {
  const replica = { id, url: '', ready: true, seen: [] as string[], now: 0, max: 0 };
  const { url } = await listen((request, response) => {
    replica.seen.push(request.headers['x-call'] as string);
    replica.now++;
    replica.max = Math.max(replica.max, replica.now);
    response.once('close', () => replica.now--);
    response.setHeader('x-replica', id);
    handler(request, response);
  });
  replica.url = url;
  return replica;
}

/** A RouteTarget over a mutable replica list, counting wake() calls. */
function routeTarget(replicas: Replica[], overrides: Partial<RouteTarget> = {}): RouteTarget & { wakes: number; list: Replica[] } {
  const target: RouteTarget & { wakes: number; list: Replica[] } = {
    namespace: 'default',
    revision: 'hello-00001',
    containerConcurrency: 0,
    timeoutMs: 10_000,
    list: replicas,
    wakes: 0,
    replicas: (): Replica[] => target.list,
    wake: () => void target.wakes++,
    ...overrides,
  };
  return target;
}

/** The proxy served by a real node:http server on port 0. */
async function serveProxy(target: RouteTarget, options: RevisionProxyOptions = {}): Promise<{ proxy: RevisionProxy; url: string }> {
  const proxy = new RevisionProxy(target, options);
  const { url } = await listen((req, res) => proxy.handle(req, res));
  cleanups.push(() => proxy.close());
  return { proxy, url };
}

const client = new Agent({ connections: 1_000 });
afterAll(() => client.close());

async function call(url: string, path = '/', init: { headers?: Record<string, string>; method?: string } = {}) {
  const response = await request(`${url}${path}`, { dispatcher: client, method: (init.method ?? 'GET') as 'GET', headers: init.headers });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

const ok: Handler = (_request, response) => response.end('ok');

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('RevisionProxy', () => {
  it('proxies method, path, query, headers and a 1 MiB body both ways, streamed', async () => {
    const replica = await startReplica('r1', (req, res) => {
      res.writeHead(201, {
        'x-echo-method': req.method,
        'x-echo-url': req.url,
        'x-echo-custom': req.headers['x-custom'],
        'x-echo-forwarded': `${req.headers['x-forwarded-for']}|${req.headers['x-forwarded-proto']}|${req.headers['x-forwarded-host']}`,
        'x-echo-hop': String(req.headers['proxy-authorization'] ?? 'none'),
        'proxy-authenticate': 'Basic',
      });
      res.flushHeaders();
      req.pipe(res);
    });
    const { url } = await serveProxy(routeTarget([replica]));
    const body = Buffer.alloc(1024 * 1024, 'junction');
    const upload = new PassThrough();
    upload.write(body.subarray(0, 64 * 1024));
    const response = await request(`${url}/a/b?x=1&y=two`, {
      dispatcher: client,
      method: 'PUT',
      headers: { 'x-custom': 'value', 'proxy-authorization': 'Basic c2VjcmV0', host: 'hello.default.localhost' },
      body: upload,
    });
    // The answer began while most of the body is still unsent: both directions stream.
    expect(response.statusCode).toBe(201);
    const hash = createHash('sha256');
    let received = 0;
    let rest = false;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      received += chunk.length;
      if (!rest) {
        rest = true;
        upload.end(body.subarray(64 * 1024));
      }
    }
    expect(received).toBe(body.length);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(body).digest('hex'));
    expect(response.headers).toMatchObject({
      'x-echo-method': 'PUT',
      'x-echo-url': '/a/b?x=1&y=two',
      'x-echo-custom': 'value',
      'x-echo-forwarded': '127.0.0.1|http|hello.default.localhost',
      'x-echo-hop': 'none',
      'x-replica': 'r1',
    });
    expect(response.headers['proxy-authenticate']).toBeUndefined();
  });

  it('sends each request to the replica with the fewest outstanding requests', async () => {
    const held: ServerResponse[] = [];
    const handler: Handler = (req, res) => (req.url === '/hold' ? held.push(res) : res.end());
    const a = await startReplica('a', handler);
    const b = await startReplica('b', handler);
    const { url } = await serveProxy(routeTarget([a, b]));
    const slow = call(url, '/hold');
    await until(() => held.length === 1);
    const busy = a.now === 1 ? a : b;
    const idle = busy === a ? b : a;
    for (let index = 0; index < 4; index++) expect((await call(url, '/fast')).headers['x-replica']).toBe(idle.id);
    held[0]!.end('done');
    expect((await slow).text).toBe('done');
    expect(busy.seen).toHaveLength(1);
  });

  it('never gives a replica more than containerConcurrency requests at once, and answers all', async () => {
    const handler: Handler = (_req, res) => void setTimeout(() => res.end('ok'), 20);
    const a = await startReplica('a', handler);
    const b = await startReplica('b', handler);
    const { url } = await serveProxy(routeTarget([a, b], { containerConcurrency: 1 }));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => call(url, '/', { headers: { 'x-call': String(index) } })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect([a.max, b.max]).toEqual([1, 1]);
    expect(a.seen.length + b.seen.length).toBe(10);
  });

  it('buffers 500 callers during a cold start, wakes once and answers every one exactly once', async () => {
    const target = routeTarget([]);
    const { proxy, url } = await serveProxy(target);
    const calls = Array.from({ length: 500 }, (_, index) => call(url, '/', { headers: { 'x-call': String(index) } }));
    await until(() => proxy.load().buffered === 500);
    expect(target.wakes).toBe(1);
    await sleep(300);
    const replica = await startReplica('r1', ok);
    target.list = [replica];
    proxy.replicasChanged();
    const answers = await Promise.all(calls);
    expect(answers.every((answer) => answer.status === 200 && answer.text === 'ok')).toBe(true);
    expect(replica.seen).toHaveLength(500);
    expect(new Set(replica.seen).size).toBe(500);
    expect(target.wakes).toBe(1);
    expect(proxy.load()).toMatchObject({ inFlight: 0, buffered: 0 });
  });

  it('answers 503 JUNCTION_SERVICE_OVERLOADED beyond the buffer limit', async () => {
    const target = routeTarget([]);
    const { proxy, url } = await serveProxy(target, { bufferLimit: 3 });
    const buffered = Array.from({ length: 3 }, () => call(url));
    await until(() => proxy.load().buffered === 3);
    const refused = await call(url);
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 503, code: 'JUNCTION_SERVICE_OVERLOADED' });
    const replica = await startReplica('r1', ok);
    target.list = [replica];
    proxy.replicasChanged();
    expect((await Promise.all(buffered)).map((answer) => answer.status)).toEqual([200, 200, 200]);
  });

  it('turns buffered requests into 503 JUNCTION_SERVICE_UNAVAILABLE at the progress deadline, then wakes again', async () => {
    const target = routeTarget([]);
    let deadlines = 0;
    const { url } = await serveProxy(target, { progressDeadlineMs: 150, onProgressDeadline: () => deadlines++ });
    const answers = await Promise.all([call(url), call(url)]);
    for (const answer of answers) expect(answer.json()).toMatchObject({ status: 503, code: 'JUNCTION_SERVICE_UNAVAILABLE' });
    expect([target.wakes, deadlines]).toEqual([1, 1]);
    expect((await call(url)).status).toBe(503);
    expect(target.wakes).toBe(2);
  });

  it('answers 504 JUNCTION_SERVICE_TIMEOUT when the replica does not finish in time or does not start its answer', async () => {
    const replica = await startReplica('r1', () => undefined);
    const { url } = await serveProxy(routeTarget([replica], { timeoutMs: 150 }));
    const late = await call(url);
    expect(late.status).toBe(504);
    expect(late.json()).toMatchObject({ code: 'JUNCTION_SERVICE_TIMEOUT' });

    const { url: second } = await serveProxy(routeTarget([replica], { timeoutMs: 10_000, responseStartTimeoutMs: 100 }));
    const started = Date.now();
    expect((await call(second)).json()).toMatchObject({ status: 504, code: 'JUNCTION_SERVICE_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('sends a request a replica refused to another replica, and answers 502 once a replica failed after receiving it', async () => {
    const dead = await startReplica('dead', ok);
    const { server } = await listen(() => undefined);
    dead.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const live = await startReplica('live', ok);
    const { url } = await serveProxy(routeTarget([dead, live]));
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => call(url, '/', { headers: { 'x-call': String(index) } })));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(live.seen).size).toBe(20);
    expect(live.seen).toHaveLength(20);

    const crashing = await startReplica('crashing', (req) => req.socket.destroy());
    const { url: second } = await serveProxy(routeTarget([crashing]));
    const failed = await call(second, '/', { headers: { 'x-call': 'once' } });
    expect(failed.json()).toMatchObject({ status: 502, code: 'JUNCTION_SERVICE_FAILED' });
    expect(crashing.seen).toEqual(['once']);
  });

  it('drains a replica: no new requests, resolved when its in-flight ones finished', async () => {
    const held: ServerResponse[] = [];
    const handler: Handler = (req, res) => (req.url === '/hold' ? held.push(res) : res.end());
    const a = await startReplica('a', handler);
    const b = await startReplica('b', handler);
    const { proxy, url } = await serveProxy(routeTarget([a, b]));
    const slow = call(url, '/hold');
    await until(() => held.length === 1);
    const leaving = a.now === 1 ? a : b;
    let drained = false;
    const drain = proxy.drain(leaving.id).then(() => (drained = true));
    for (let index = 0; index < 3; index++) expect((await call(url)).headers['x-replica']).not.toBe(leaving.id);
    expect(drained).toBe(false);
    held[0]!.end('finished');
    expect((await slow).text).toBe('finished');
    await drain;
    expect(leaving.seen).toHaveLength(1);
  });

  it('never sends a buffered request whose caller went away', async () => {
    const target = routeTarget([]);
    const { proxy, url } = await serveProxy(target);
    const abandoned = new AbortController();
    const gone = request(url, { dispatcher: client, headers: { 'x-call': 'gone' }, signal: abandoned.signal }).catch(() => 'aborted');
    const kept = call(url, '/', { headers: { 'x-call': 'kept' } });
    await until(() => proxy.load().buffered === 2);
    abandoned.abort();
    expect(await gone).toBe('aborted');
    await until(() => proxy.load().buffered === 1);
    const replica = await startReplica('r1', ok);
    target.list = [replica];
    proxy.replicasChanged();
    expect((await kept).status).toBe(200);
    expect(replica.seen).toEqual(['kept']);
  });

  it('reports load for the autoscaler: arrivals since the last read, in flight and buffered', async () => {
    const target = routeTarget([]);
    const { proxy, url } = await serveProxy(target);
    let arrived = 0;
    const read = () => {
      const load = proxy.load();
      arrived += load.arrived;
      return load;
    };
    const calls = [call(url), call(url), call(url)];
    await until(() => read().buffered === 3);
    expect(arrived).toBe(3);
    expect(proxy.load()).toEqual({ inFlight: 3, arrived: 0, buffered: 3 });
    const held: ServerResponse[] = [];
    target.list = [await startReplica('r1', (_req, res) => held.push(res))];
    proxy.replicasChanged();
    await until(() => held.length === 3);
    expect(proxy.load()).toEqual({ inFlight: 3, arrived: 0, buffered: 0 });
    for (const response of held) response.end();
    await Promise.all(calls);
    expect(proxy.load()).toEqual({ inFlight: 0, arrived: 0, buffered: 0 });
  });
});

/** mulberry32: a small seeded generator, so the proportions test is reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('pickTraffic', () => {
  it('splits traffic by percent (10,000 seeded picks within ±2%)', () => {
    const traffic = [
      { revision: 'hello-00001', percent: 50 },
      { revision: 'hello-00002', percent: 30 },
      { revision: 'hello-00003', percent: 20 },
      { revision: 'hello-00004', percent: 0 },
    ];
    const random = seeded(15);
    const counts = new Map<string, number>();
    for (let index = 0; index < 10_000; index++) {
      const revision = pickTraffic(traffic, random)!;
      counts.set(revision, (counts.get(revision) ?? 0) + 1);
    }
    for (const { revision, percent } of traffic) expect(Math.abs((counts.get(revision) ?? 0) / 100 - percent)).toBeLessThanOrEqual(2);
    expect(counts.has('hello-00004')).toBe(false);
  });

  it('is pure and covers the edges', () => {
    expect(pickTraffic([{ revision: 'a', percent: 100 }], () => 0.999_999)).toBe('a');
    expect(pickTraffic([{ revision: 'a', percent: 60 }, { revision: 'b', percent: 40 }], () => 0.6)).toBe('b');
    expect(pickTraffic([], Math.random)).toBeUndefined();
  });
});
