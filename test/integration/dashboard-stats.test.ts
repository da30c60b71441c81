import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, structuredEvent, type TestJunction } from '../support/junction.js';
import type { Resource } from '../../core/resources/index.js';

const MESSAGING = 'messaging.knative.dev/v1';

/** A Channel `orders` in `namespace` and a Subscription `orders-sub` from it to `subscriberUrl`. */
function channelWithSubscription(namespace: string, subscriberUrl: string): Resource[] {
  return [
    { apiVersion: MESSAGING, kind: 'Channel', metadata: { name: 'orders', namespace }, spec: {} },
    {
      apiVersion: MESSAGING,
      kind: 'Subscription',
      metadata: { name: 'orders-sub', namespace },
      spec: { channel: { apiVersion: MESSAGING, kind: 'Channel', name: 'orders' }, subscriber: { uri: subscriberUrl } },
    },
  ];
}

describe('dashboard stats and whoami endpoints (auth on)', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  const tokens: Record<string, string> = {};

  const get = async (path: string, token?: string) => {
    const response = await request(`${junction.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  };
  const send = (namespace: string, token: string, body = structuredEvent(), path = `/${namespace}/default`) =>
    junction.post(path, body, { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${token}` });
  const sendToChannel = (namespace: string, token: string) => send(namespace, token, structuredEvent(), `/channels/${namespace}/orders`);

  beforeAll(async () => {
    junction = await startTestJunction({ 'auth.mode': 'on' });
    subscriber = await startHttpSubscriber([{ status: 202 }]);
    tokens.admin = junction.tokens.create('*', 'admin', 'stats test admin').token;
    for (const ns of ['team-a', 'team-b']) {
      for (const resource of brokerWithTrigger({ namespace: ns, trigger: `${ns}-trigger`, subscriberUrl: subscriber.url })) await junction.apply(resource, tokens.admin);
      for (const resource of channelWithSubscription(ns, subscriber.url)) await junction.apply(resource, tokens.admin);
      tokens[`${ns}-read`] = junction.tokens.create(ns, 'read', 'stats test reader').token;
      tokens[`${ns}-ingest`] = junction.tokens.create(ns, 'ingest', 'stats test sender').token;
    }
    // Triggers and subscriptions become Ready shortly after apply; send once all accept deliveries.
    const ready = async (path: string) =>
      (await get(path, tokens.admin)).json.items.filter((t: any) => t.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
    for (const deadline = Date.now() + 10_000; (await ready('/apis/eventing.knative.dev/v1/triggers')) < 2 || (await ready(`/apis/${MESSAGING}/subscriptions`)) < 2; ) {
      if (Date.now() > deadline) throw new Error('the triggers and subscriptions did not become Ready within 10 s');
      await new Promise((wake) => setTimeout(wake, 25));
    }
    for (let n = 0; n < 3; n++) expect((await send('team-a', tokens['team-a-ingest'])).status).toBe(202);
    for (let n = 0; n < 2; n++) expect((await send('team-b', tokens['team-b-ingest'])).status).toBe(202);
    for (let n = 0; n < 4; n++) expect((await sendToChannel('team-a', tokens['team-a-ingest'])).status).toBe(202);
    expect((await sendToChannel('team-b', tokens['team-b-ingest'])).status).toBe(202);
    expect((await send('team-a', tokens['team-a-ingest'], '{"specversion":"1.0"}')).status).toBe(400);
    await subscriber.waitForRequests(10);
  });
  afterAll(async () => {
    await subscriber?.close();
    await junction?.stop();
  });

  it('gives a namespace reader the counters of its own namespace only', async () => {
    // The backlog gauge is refreshed with the trigger positions (every 200 ms): wait until it drained too.
    const progress = async () => (await get('/apis/junction.dev/v1/namespaces/team-a/stats', tokens['team-a-read'])).json.totals;
    await expect.poll(async () => ((t) => `delivered ${t.delivered}, backlog ${t.backlog}`)(await progress()), { timeout: 10_000 }).toBe('delivered 7, backlog 0');
    const stats = await get('/apis/junction.dev/v1/namespaces/team-a/stats', tokens['team-a-read']);
    expect(stats.status).toBe(200);
    expect(stats.headers['cache-control']).toBe('no-store');
    expect(stats.json).toMatchObject({ apiVersion: 'junction.dev/v1', kind: 'Stats', namespace: 'team-a' });
    expect(stats.json.brokers).toEqual([expect.objectContaining({ namespace: 'team-a', name: 'default', received: 3 })]);
    expect(stats.json.brokers[0].latency.count).toBe(3);
    expect(stats.json.triggers).toEqual([{ namespace: 'team-a', broker: 'default', name: 'team-a-trigger', delivered: 3, retried: 0, deadLettered: 0, failed: 0, backlog: 0 }]);
    // Channel ingress and subscription deliveries are their own entries, not brokers or triggers.
    expect(stats.json.channels).toEqual([{ namespace: 'team-a', name: 'orders', received: 4, latency: { count: 4, sumSeconds: expect.any(Number) } }]);
    expect(stats.json.subscriptions).toEqual([{ namespace: 'team-a', channel: 'orders', name: 'orders-sub', delivered: 4, retried: 0, deadLettered: 0, failed: 0, backlog: 0 }]);
    expect(stats.json.rejected).toEqual({ JUNCTION_EVENT_INVALID: 1 });
    expect(stats.json.totals).toMatchObject({ received: 3, channelReceived: 4, delivered: 7, rejected: 1 });
    expect(JSON.stringify(stats.json)).not.toContain('team-b');
  });

  it('refuses another namespace, all namespaces, ingest tokens and anonymous callers with problem+json', async () => {
    for (const [path, token, status, code] of [
      ['/apis/junction.dev/v1/namespaces/team-b/stats', tokens['team-a-read'], 403, 'JUNCTION_FORBIDDEN'],
      ['/apis/junction.dev/v1/stats', tokens['team-a-read'], 403, 'JUNCTION_FORBIDDEN'],
      ['/apis/junction.dev/v1/namespaces/team-a/stats', tokens['team-a-ingest'], 403, 'JUNCTION_FORBIDDEN'],
      ['/apis/junction.dev/v1/namespaces/team-a/stats', undefined, 401, 'JUNCTION_UNAUTHENTICATED'],
      ['/apis/junction.dev/v1/stats', undefined, 401, 'JUNCTION_UNAUTHENTICATED'],
      // The lists the page reads next to the counters are refused alike.
      [`/apis/${MESSAGING}/namespaces/team-b/channels`, tokens['team-a-read'], 403, 'JUNCTION_FORBIDDEN'],
      [`/apis/${MESSAGING}/subscriptions`, tokens['team-a-read'], 403, 'JUNCTION_FORBIDDEN'],
    ] as const) {
      const answer = await get(path, token);
      expect({ path, status: answer.status, code: answer.json.code }).toEqual({ path, status, code });
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(answer.json)).not.toMatch(/"received"|"delivered"|orders/);
    }
  });

  it('gives a cluster-wide token every namespace, and per namespace on request', async () => {
    await expect.poll(async () => (await get('/apis/junction.dev/v1/stats', tokens.admin)).json.totals.delivered, { timeout: 10_000 }).toBe(10);
    const all = await get('/apis/junction.dev/v1/stats', tokens.admin);
    expect(all.json.namespace).toBe('*');
    expect(all.json.brokers.map((b: any) => [b.namespace, b.received])).toEqual([['team-a', 3], ['team-b', 2]]);
    expect(all.json.triggers.map((t: any) => [t.name, t.delivered])).toEqual([['team-a-trigger', 3], ['team-b-trigger', 2]]);
    expect(all.json.channels.map((c: any) => [c.namespace, c.name, c.received])).toEqual([['team-a', 'orders', 4], ['team-b', 'orders', 1]]);
    expect(all.json.subscriptions.map((s: any) => [s.namespace, s.name, s.delivered])).toEqual([['team-a', 'orders-sub', 4], ['team-b', 'orders-sub', 1]]);
    const teamB = await get('/apis/junction.dev/v1/namespaces/team-b/stats', tokens.admin);
    expect(teamB.json.totals).toMatchObject({ received: 2, channelReceived: 1, delivered: 3, rejected: 0 });
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
      expect(await stats.body.json()).toMatchObject({ namespace: 'empty', brokers: [], triggers: [], channels: [], subscriptions: [], totals: { received: 0, channelReceived: 0, delivered: 0 } });
    } finally {
      await junction.stop();
    }
  });
});
