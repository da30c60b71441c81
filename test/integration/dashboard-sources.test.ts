import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { Resource } from '../../core/resources/index.js';
import type { SourceStats, StatsDocument, StatsHistoryDocument } from '../../dashboard/index.js';
import { eventually } from '../support/eventually.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const SOURCES = 'sources.junction.dev/v1';
const broker = (namespace: string): Resource => ({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace }, spec: {} });
const toBroker = { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } };

/** A WebhookSource taking `Authorization: Bearer <token>` and deduplicating on `x-delivery`. */
function bearerSource(namespace: string, name: string, token: string): Resource[] {
  return [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData: { token } } as Resource,
    {
      apiVersion: SOURCES,
      kind: 'WebhookSource',
      metadata: { name, namespace },
      spec: { secretToken: { secretKeyRef: { name, key: 'token' } }, auth: { type: 'bearer' }, idFrom: { header: 'x-delivery' }, eventType: 'com.example.hook', sink: toBroker },
    },
  ];
}

describe('dashboard stats of sources (auth on)', () => {
  let junction: TestJunction;
  const tokens: Record<string, string> = {};
  const get = async <T>(path: string, token: string) => {
    const response = await request(`${junction.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, json: (await response.body.json()) as T };
  };
  const hook = (namespace: string, name: string, headers: Record<string, string>, body = '{"ok":true}') =>
    junction.post(`/sources/${namespace}/${name}`, body, { 'content-type': 'application/json', ...headers });

  beforeAll(async () => {
    junction = await startTestJunction({ 'auth.mode': 'on', 'dashboard.sampleInterval': 'PT0.2S' });
    tokens.admin = junction.tokens.create('*', 'admin', 'source stats admin').token;
    for (const ns of ['team-a', 'team-b']) tokens[`${ns}-read`] = junction.tokens.create(ns, 'read', 'source stats reader').token;
    for (const resource of [broker('team-a'), ...bearerSource('team-a', 'orders-hook', 'a-secret'), broker('team-b'), ...bearerSource('team-b', 'billing-hook', 'b-secret')]) {
      await junction.apply(resource, tokens.admin);
    }
    // Not ready: its Secret does not exist.
    await junction.apply(bearerSource('team-a', 'no-secret', 'unused')[1]!, tokens.admin);
    const ready = (source: Resource) => source.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True');
    await eventually(async () => expect((await get<{ items: Resource[] }>(`/apis/${SOURCES}/webhooksources`, tokens.admin)).json.items.filter(ready)).toHaveLength(2));

    const good = { authorization: 'Bearer a-secret' };
    for (const [headers, status] of [
      [{ ...good, 'x-delivery': 'd-1' }, 200],
      [{ ...good, 'x-delivery': 'd-2' }, 200],
      [{ ...good, 'x-delivery': 'd-1' }, 200], // a redelivery: duplicate
      [{ authorization: 'Bearer forged', 'x-delivery': 'd-3' }, 401],
      [{ authorization: 'Bearer also-forged', 'x-delivery': 'd-4' }, 401],
      [{ 'x-delivery': 'd-5' }, 401], // no credentials
      [good, 400], // no delivery id: payload invalid
    ] as const) {
      expect((await hook('team-a', 'orders-hook', headers)).status).toBe(status);
    }
    expect((await hook('team-b', 'billing-hook', { authorization: 'Bearer nope', 'x-delivery': 'x' })).status).toBe(401);
  });
  afterAll(async () => junction?.stop());

  it("gives a namespace reader its own sources' counters, readiness and URL, quiet and not-ready ones included", async () => {
    const answer = await get<StatsDocument>('/apis/junction.dev/v1/namespaces/team-a/stats', tokens['team-a-read']);
    expect(answer.status).toBe(200);
    const byName = new Map(answer.json.sources.map((source) => [source.name, source]));
    expect([...byName.keys()]).toEqual(['no-secret', 'orders-hook']);
    expect(byName.get('orders-hook')).toEqual<SourceStats>({
      namespace: 'team-a',
      name: 'orders-hook',
      kind: 'WebhookSource',
      events: 2,
      requests: { accepted: 2, duplicate: 1, handshake: 0, refusedMissing: 1, refusedInvalid: 2, refusedStale: 0, payloadInvalid: 1, notReady: 0, sinkFailed: 0 },
      refused: 3,
      ready: { status: 'True' },
      url: `${junction.url}/sources/team-a/orders-hook`,
    });
    expect(byName.get('no-secret')).toMatchObject({ events: 0, refused: 0, ready: { status: 'False', reason: expect.any(String) } });
    expect(answer.json.totals).toMatchObject({ sourceEvents: 2, sourcesRefused: 3 });
    expect(JSON.stringify(answer.json)).not.toMatch(/billing-hook|team-b/);
    expect((await get('/apis/junction.dev/v1/namespaces/team-b/stats', tokens['team-a-read'])).status).toBe(403);
  });

  it('gives a cluster-wide token every namespace, and samples events/s and refused/s per source', async () => {
    const all = await get<StatsDocument>('/apis/junction.dev/v1/stats', tokens.admin);
    expect(all.json.sources.map((source) => `${source.namespace}/${source.name} refused ${source.refused}`)).toEqual(['team-a/no-secret refused 0', 'team-a/orders-hook refused 3', 'team-b/billing-hook refused 1']);

    const history = async (token: string) => (await get<StatsHistoryDocument>('/apis/junction.dev/v1/namespaces/team-a/stats/history', token)).json;
    // The rates of every interval, times its length, give the counts back.
    const totals = async () => {
      const { sources, times, intervalSeconds } = await history(tokens['team-a-read']);
      const total = (values: Array<number | null>) => Math.round(values.reduce<number>((sum, value, i) => sum + (value ?? 0) * (i === 0 ? intervalSeconds : times[i]! - times[i - 1]!), 0));
      return sources.map((source) => ({ source: `${source.kind}/${source.name}`, events: total(source.events), refused: total(source.refused), failed: total(source.failed) }));
    };
    await expect.poll(totals, { timeout: 10_000 }).toEqual([{ source: 'WebhookSource/orders-hook', events: 2, refused: 3, failed: 1 }]);
    expect(JSON.stringify(await history(tokens['team-a-read']))).not.toContain('billing-hook');
  });
});
