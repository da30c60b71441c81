import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, structuredEvent, type TestJunction } from '../support/junction.js';

describe('dashboard stats and whoami endpoints (auth on)', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  const tokens: Record<string, string> = {};

  const get = async (path: string, token?: string) => {
    const response = await request(`${junction.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  };
  const send = (namespace: string, token: string, body = structuredEvent()) =>
    junction.post(`/${namespace}/default`, body, { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${token}` });

  beforeAll(async () => {
    junction = await startTestJunction({ 'auth.mode': 'on' });
    subscriber = await startHttpSubscriber([{ status: 202 }]);
    tokens.admin = junction.tokens.create('*', 'admin', 'stats test admin').token;
    for (const ns of ['team-a', 'team-b']) {
      for (const resource of brokerWithTrigger({ namespace: ns, trigger: `${ns}-trigger`, subscriberUrl: subscriber.url })) await junction.apply(resource, tokens.admin);
      tokens[`${ns}-read`] = junction.tokens.create(ns, 'read', 'stats test reader').token;
      tokens[`${ns}-ingest`] = junction.tokens.create(ns, 'ingest', 'stats test sender').token;
    }
    // Triggers become Ready shortly after apply; send once both accept deliveries.
    const readyTriggers = async () =>
      (await get('/apis/eventing.knative.dev/v1/triggers', tokens.admin)).json.items.filter((t: any) => t.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
    for (const deadline = Date.now() + 10_000; (await readyTriggers()) < 2; ) {
      if (Date.now() > deadline) throw new Error('the triggers did not become Ready within 10 s');
      await new Promise((wake) => setTimeout(wake, 25));
    }
    for (let n = 0; n < 3; n++) expect((await send('team-a', tokens['team-a-ingest'])).status).toBe(202);
    for (let n = 0; n < 2; n++) expect((await send('team-b', tokens['team-b-ingest'])).status).toBe(202);
    expect((await send('team-a', tokens['team-a-ingest'], '{"specversion":"1.0"}')).status).toBe(400);
    await subscriber.waitForRequests(5);
  });
  afterAll(async () => {
    await subscriber?.close();
    await junction?.stop();
  });

  it('gives a namespace reader the counters of its own namespace only', async () => {
    // The backlog gauge is refreshed with the trigger positions (every 200 ms): wait until it drained too.
    const progress = async () => (await get('/apis/junction.dev/v1/namespaces/team-a/stats', tokens['team-a-read'])).json.totals;
    await expect.poll(async () => ((t) => `delivered ${t.delivered}, backlog ${t.backlog}`)(await progress()), { timeout: 10_000 }).toBe('delivered 3, backlog 0');
    const stats = await get('/apis/junction.dev/v1/namespaces/team-a/stats', tokens['team-a-read']);
    expect(stats.status).toBe(200);
    expect(stats.headers['cache-control']).toBe('no-store');
    expect(stats.json).toMatchObject({ apiVersion: 'junction.dev/v1', kind: 'Stats', namespace: 'team-a' });
    expect(stats.json.brokers).toEqual([expect.objectContaining({ namespace: 'team-a', name: 'default', received: 3 })]);
    expect(stats.json.brokers[0].latency.count).toBe(3);
    expect(stats.json.triggers).toEqual([{ namespace: 'team-a', broker: 'default', name: 'team-a-trigger', delivered: 3, retried: 0, deadLettered: 0, failed: 0, backlog: 0 }]);
    expect(stats.json.rejected).toEqual({ JUNCTION_EVENT_INVALID: 1 });
    expect(stats.json.totals).toMatchObject({ received: 3, delivered: 3, rejected: 1 });
    expect(JSON.stringify(stats.json)).not.toContain('team-b');
  });

  it('refuses another namespace, all namespaces, ingest tokens and anonymous callers with problem+json', async () => {
    for (const [path, token, status, code] of [
      ['/apis/junction.dev/v1/namespaces/team-b/stats', tokens['team-a-read'], 403, 'JUNCTION_FORBIDDEN'],
      ['/apis/junction.dev/v1/stats', tokens['team-a-read'], 403, 'JUNCTION_FORBIDDEN'],
      ['/apis/junction.dev/v1/namespaces/team-a/stats', tokens['team-a-ingest'], 403, 'JUNCTION_FORBIDDEN'],
      ['/apis/junction.dev/v1/namespaces/team-a/stats', undefined, 401, 'JUNCTION_UNAUTHENTICATED'],
      ['/apis/junction.dev/v1/stats', undefined, 401, 'JUNCTION_UNAUTHENTICATED'],
    ] as const) {
      const answer = await get(path, token);
      expect({ path, status: answer.status, code: answer.json.code }).toEqual({ path, status, code });
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(answer.json)).not.toMatch(/"received"|"delivered"/);
    }
  });

  it('gives a cluster-wide token every namespace, and per namespace on request', async () => {
    await expect.poll(async () => (await get('/apis/junction.dev/v1/stats', tokens.admin)).json.totals.delivered, { timeout: 10_000 }).toBe(5);
    const all = await get('/apis/junction.dev/v1/stats', tokens.admin);
    expect(all.json.namespace).toBe('*');
    expect(all.json.brokers.map((b: any) => [b.namespace, b.received])).toEqual([['team-a', 3], ['team-b', 2]]);
    expect(all.json.triggers.map((t: any) => [t.name, t.delivered])).toEqual([['team-a-trigger', 3], ['team-b-trigger', 2]]);
    const teamB = await get('/apis/junction.dev/v1/namespaces/team-b/stats', tokens.admin);
    expect(teamB.json.totals).toMatchObject({ received: 2, delivered: 2, rejected: 0 });
  });

  it('tells the page who its token is, never the secret', async () => {
    const reader = await get('/apis/junction.dev/v1/whoami', tokens['team-a-read']);
    expect(reader.status).toBe(200);
    expect(reader.json).toMatchObject({ kind: 'Identity', authEnabled: true, namespace: 'team-a', role: 'read', description: 'stats test reader' });
    expect(JSON.stringify(reader.json)).not.toContain(tokens['team-a-read']);
    expect((await get('/apis/junction.dev/v1/whoami', tokens.admin)).json).toMatchObject({ namespace: '*', role: 'admin' });
    const anonymous = await get('/apis/junction.dev/v1/whoami');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.code).toBe('JUNCTION_UNAUTHENTICATED');
    expect(anonymous.headers['www-authenticate']).toContain('Bearer');
    expect((await get('/apis/junction.dev/v1/whoami', `jct_aaaaaaaaaaaa_${'x'.repeat(43)}`)).status).toBe(401);
  });
});

describe('dashboard endpoints with auth off (loopback)', () => {
  it('answers whoami as "everything visible" and stats without a token', async () => {
    const junction = await startTestJunction();
    try {
      const whoami = await request(`${junction.url}/apis/junction.dev/v1/whoami`);
      expect(await whoami.body.json()).toMatchObject({ authEnabled: false, namespace: '*' });
      const stats = await request(`${junction.url}/apis/junction.dev/v1/namespaces/empty/stats`);
      expect(stats.statusCode).toBe(200);
      expect(await stats.body.json()).toMatchObject({ namespace: 'empty', brokers: [], triggers: [], totals: { received: 0, delivered: 0 } });
    } finally {
      await junction.stop();
    }
  });
});
