import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import type { Resource } from '../../core/resources/index.js';
import { eventually } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { startTestJunction, structuredEvent, type TestJunction } from '../support/junction.js';

const EVENTING = 'eventing.knative.dev/v1';
const MESSAGING = 'messaging.knative.dev/v1';
const STRUCTURED = 'application/cloudevents+json';

/** Series of Junction's own metrics that carry a namespace label (process metrics aside). */
const namespacedSeries = (exposition: string) => exposition.split('\n').filter((line) => /^junction_\w+\{[^}]*\bnamespace="/.test(line));

// Issue #13, items 2 and 3: /metrics is the admin's (or a scraper's) view of every namespace, and
// nothing a client sends may grow it.
describe('hardening: /metrics with auth on', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  let admin: string;
  const tokens: Record<string, string> = {};

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, token?: string, body?: unknown, contentType = 'application/json') => {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (token) headers.authorization = `Bearer ${token}`;
    return junction.call(method, path, body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), headers);
  };
  const pathOf = (resource: Resource) =>
    `/apis/${resource.apiVersion}/namespaces/${resource.metadata.namespace}/${resource.kind.toLowerCase()}s/${resource.metadata.name}`;
  const apply = async (resource: Resource) => {
    const answer = await call('PUT', pathOf(resource), admin, resource);
    expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(300);
    await eventually(async () => {
      const got = await call('GET', pathOf(resource), admin);
      expect(got.json?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status, `${resource.kind} ${resource.metadata.name} Ready`).toBe('True');
    });
  };
  const remove = async (resource: Resource) => expect((await call('DELETE', pathOf(resource), admin)).status).toBe(200);
  const scrape = async () => {
    const answer = await call('GET', '/metrics', tokens.metrics);
    expect(answer.status).toBe(200);
    return answer.text;
  };

  const broker = (namespace: string, name: string): Resource => ({ apiVersion: EVENTING, kind: 'Broker', metadata: { name, namespace }, spec: {} });
  const trigger = (namespace: string, name: string, brokerName: string): Resource => ({
    apiVersion: EVENTING,
    kind: 'Trigger',
    metadata: { name, namespace },
    spec: { broker: brokerName, subscriber: { uri: subscriber.url } },
  });
  const channel = (namespace: string, name: string): Resource => ({ apiVersion: MESSAGING, kind: 'InMemoryChannel', metadata: { name, namespace }, spec: {} });
  const subscription = (namespace: string, name: string, channelName: string): Resource => ({
    apiVersion: MESSAGING,
    kind: 'Subscription',
    metadata: { name, namespace },
    spec: { channel: { apiVersion: MESSAGING, kind: 'InMemoryChannel', name: channelName }, subscriber: { uri: subscriber.url } },
  });

  beforeAll(async () => {
    junction = await startTestJunction({ 'auth.mode': 'on', 'broker.defaultChannel': 'memory' });
    subscriber = await startHttpSubscriber();
    admin = readFileSync(join(junction.dataDir, 'admin.token'), 'utf8').trim();
    for (const resource of [broker('team-a', 'default'), trigger('team-a', 'audit', 'default'), channel('team-a', 'orders'), subscription('team-a', 'ship', 'orders')]) await apply(resource);
    for (const [name, role] of [['a-ingest', 'ingest'], ['a-read', 'read'], ['a-admin', 'admin']] as const) {
      const created = await call('POST', '/apis/junction.dev/v1/namespaces/team-a/tokens', admin, { role });
      expect(created.status).toBe(201);
      tokens[name] = created.json.token;
    }
    const scraper = await call('POST', '/apis/junction.dev/v1/tokens', admin, { role: 'metrics', description: 'prometheus' });
    expect(scraper.status, JSON.stringify(scraper.json)).toBe(201);
    expect(scraper.json).toMatchObject({ namespace: '*', role: 'metrics' });
    tokens.metrics = scraper.json.token;
    expect((await call('POST', '/team-a/default', tokens['a-ingest'], structuredEvent(), STRUCTURED)).status).toBe(202);
    expect((await call('POST', '/channels/team-a/orders', tokens['a-ingest'], structuredEvent(), STRUCTURED)).status).toBe(202);
    await subscriber.waitForRequests(2);
  });
  afterAll(async () => {
    await junction?.stop();
    await subscriber?.close();
  });

  it('refuses /metrics without a token and to namespace tokens; a cluster metrics or admin token scrapes it', async () => {
    const anonymous = await call('GET', '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect(anonymous.json.code).toBe('JUNCTION_UNAUTHENTICATED');
    expect(anonymous.text).not.toContain('team-a');
    for (const token of [tokens['a-admin'], tokens['a-read'], tokens['a-ingest']]) {
      const scoped = await call('GET', '/metrics', token);
      expect(scoped.status).toBe(403);
      expect(scoped.json.code).toBe('JUNCTION_FORBIDDEN');
      expect(scoped.text).not.toContain('junction_events_received_total');
    }
    for (const token of [tokens.metrics, admin]) {
      const scraped = await call('GET', '/metrics', token);
      expect(scraped.status).toBe(200);
      expect(scraped.text).toMatch(/junction_events_received_total\{namespace="team-a",broker="default"\} 1/);
    }
  });

  it('a metrics token can do nothing but scrape, and exists only cluster-wide', async () => {
    expect((await call('GET', '/apis/eventing.knative.dev/v1/namespaces/team-a/brokers', tokens.metrics)).status).toBe(403);
    expect((await call('GET', '/apis/eventing.knative.dev/v1/brokers', tokens.metrics)).status).toBe(403);
    expect((await call('POST', '/team-a/default', tokens.metrics, structuredEvent(), STRUCTURED)).status).toBe(403);
    expect((await call('GET', '/apis/junction.dev/v1/stats', tokens.metrics)).status).toBe(403);
    expect((await call('POST', '/apis/junction.dev/v1/tokens', tokens.metrics, { role: 'metrics' })).status).toBe(403);
    const namespaced = await call('POST', '/apis/junction.dev/v1/namespaces/team-a/tokens', admin, { role: 'metrics' });
    expect(namespaced.status).toBe(400);
    expect(namespaced.json.code).toBe('JUNCTION_BAD_REQUEST');
    // Cluster-wide tokens are a cluster admin's to hand out and to list.
    expect((await call('POST', '/apis/junction.dev/v1/tokens', tokens['a-admin'], { role: 'metrics' })).status).toBe(403);
    const listed = await call('GET', '/apis/junction.dev/v1/tokens', admin);
    expect(listed.json.items.map((t: { role: string }) => t.role).sort()).toEqual(['admin', 'metrics']);
  });

  it("keeps a namespace's own figures visible to its token through the stats API", async () => {
    const stats = await call('GET', '/apis/junction.dev/v1/namespaces/team-a/stats', tokens['a-read']);
    expect(stats.status).toBe(200);
    expect(stats.json.brokers).toEqual([expect.objectContaining({ namespace: 'team-a', name: 'default', received: 1 })]);
    expect(stats.json.triggers).toEqual([expect.objectContaining({ name: 'audit', delivered: 1 })]);
  });

  it('refused requests for made-up namespaces, brokers, channels and paths add no series', async () => {
    const before = namespacedSeries(await scrape());
    const wrong = `jct_aaaaaaaaaaaa_${'x'.repeat(43)}`;
    const refusals: Array<(i: number) => Promise<{ status: number }>> = [
      (i) => call('POST', `/made-up-${i}/broker-${i}`, undefined, structuredEvent(), STRUCTURED),
      (i) => call('POST', `/made-up-${i}/broker-${i}`, wrong, structuredEvent(), STRUCTURED),
      (i) => call('POST', `/made-up-${i}/default`, tokens['a-ingest'], structuredEvent(), STRUCTURED),
      (i) => call('POST', `/made-up-${i}/broker-${i}`, admin, structuredEvent(), STRUCTURED),
      (i) => call('POST', `/team-a/broker-${i}`, tokens['a-ingest'], structuredEvent(), STRUCTURED),
      (i) => call('POST', '/team-a/default', tokens['a-ingest'], `not an event ${i}`, STRUCTURED),
      (i) => call('POST', `/channels/made-up-${i}/channel-${i}`, undefined, structuredEvent(), STRUCTURED),
      (i) => call('POST', `/channels/team-a/channel-${i}`, tokens['a-ingest'], structuredEvent(), STRUCTURED),
      (i) => call('GET', `/apis/eventing.knative.dev/v1/namespaces/made-up-${i}/brokers`),
      (i) => call('GET', `/apis/eventing.knative.dev/v1/namespaces/team-a/triggers/trigger-${i}`, tokens['a-read']),
      (i) => call('GET', `/apis/junction.dev/v1/namespaces/made-up-${i}/stats`, tokens['a-read']),
      (i) => call('GET', `/made-up-${i}/broker-${i}`),
      (i) => call('POST', `/made-up-${i}/broker-${i}/extra-${i}`, undefined, structuredEvent(), STRUCTURED),
    ];
    const statuses = new Set<number>();
    const total = 2000;
    for (let start = 0; start < total; start += 50) {
      const batch = Array.from({ length: 50 }, (_, k) => start + k).map((i) => refusals[i % refusals.length](i));
      for (const answer of await Promise.all(batch)) statuses.add(answer.status);
    }
    expect([...statuses].every((status) => status >= 400)).toBe(true);

    const after = await scrape();
    const series = namespacedSeries(after);
    expect(after).not.toMatch(/made-up-|broker-\d|channel-\d|trigger-\d/);
    // One series per refusal code for made-up namespaces and for team-a: a handful, not thousands.
    expect(series.length - before.length).toBeLessThanOrEqual(12);
    expect(after).toMatch(/junction_events_rejected_total\{namespace="_unknown",code="JUNCTION_UNAUTHENTICATED"\} \d+/);
    expect(after).toMatch(/junction_events_rejected_total\{namespace="team-a",code="JUNCTION_BROKER_NOT_FOUND"\} \d+/);
  });

  it('forgets the series of deleted brokers, triggers, channels and subscriptions', async () => {
    const baseline = namespacedSeries(await scrape()).length;
    for (let round = 0; round < 3; round++) {
      const namespace = `churn-${round}`;
      const resources = [broker(namespace, 'default'), trigger(namespace, 'audit', 'default'), broker('team-a', `churn-${round}`), trigger('team-a', `audit-${round}`, `churn-${round}`), channel(namespace, 'orders'), subscription(namespace, 'ship', 'orders')];
      for (const resource of resources) await apply(resource);
      const delivered = subscriber.requests.length;
      for (const path of [`/${namespace}/default`, `/team-a/churn-${round}`, `/channels/${namespace}/orders`]) {
        expect((await call('POST', path, admin, structuredEvent(), STRUCTURED)).status).toBe(202);
      }
      // A refusal in the namespace while it exists is labelled with it.
      expect((await call('POST', `/${namespace}/nope`, admin, structuredEvent(), STRUCTURED)).status).toBe(404);
      await subscriber.waitForRequests(delivered + 3);
      await eventually(async () => {
        const text = await scrape();
        expect(text).toContain(`junction_events_delivered_total{namespace="${namespace}",broker="channel:orders",trigger="ship"} 1`);
        expect(text).toContain(`junction_events_delivered_total{namespace="team-a",broker="churn-${round}",trigger="audit-${round}"} 1`);
        expect(text).toContain(`junction_events_rejected_total{namespace="${namespace}",code="JUNCTION_BROKER_NOT_FOUND"} 1`);
      });
      for (const resource of [...resources].reverse()) await remove(resource);
      await eventually(async () => {
        const text = await scrape();
        expect(text).not.toContain(namespace);
        expect(text).not.toContain(`churn-${round}`);
        expect(namespacedSeries(text).length).toBe(baseline);
      });
    }
  });
});

describe('hardening: /metrics with auth off', () => {
  it('stays open on loopback, where auth is off', async () => {
    const junction = await startTestJunction();
    try {
      expect(junction.authEnabled).toBe(false);
      const answer = await request(`${junction.url}/metrics`);
      expect(answer.statusCode).toBe(200);
      expect(await answer.body.text()).toContain('junction_process_cpu_seconds_total');
    } finally {
      await junction.stop();
    }
  });
});
