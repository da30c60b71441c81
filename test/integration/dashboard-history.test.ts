import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { StatsHistoryDocument } from '../../dashboard/index.js';
import { eventually } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, structuredEvent, type TestJunction } from '../support/junction.js';

const HISTORY = '/apis/junction.dev/v1/stats/history';
const historyOf = (namespace: string) => `/apis/junction.dev/v1/namespaces/${namespace}/stats/history`;
const peak = (values: Array<number | null>) => Math.max(0, ...values.map((value) => value ?? 0));

describe('dashboard stats history endpoint (auth on)', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  const tokens: Record<string, string> = {};
  const call = async (method: 'GET' | 'DELETE', path: string, token?: string) => {
    const response = await request(`${junction.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  };
  const history = async (path: string, token: string) => (await call('GET', path, token)).json as StatsHistoryDocument;

  beforeAll(async () => {
    junction = await startTestJunction({ 'auth.mode': 'on', 'dashboard.sampleInterval': 'PT0.2S' });
    subscriber = await startHttpSubscriber([{ status: 202 }]);
    tokens.admin = junction.tokens.create('*', 'admin', 'history test admin').token;
    for (const ns of ['team-a', 'team-b']) {
      for (const resource of brokerWithTrigger({ namespace: ns, trigger: `${ns}-trigger`, subscriberUrl: subscriber.url })) await junction.apply(resource, tokens.admin);
      tokens[`${ns}-read`] = junction.tokens.create(ns, 'read', 'history test reader').token;
      tokens[`${ns}-ingest`] = junction.tokens.create(ns, 'ingest', 'history test sender').token;
    }
    const ready = (resource: any) => resource.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
    await eventually(async () => expect((await call('GET', '/apis/eventing.knative.dev/v1/triggers', tokens.admin)).json.items.filter(ready)).toHaveLength(2));
    for (const ns of ['team-a', 'team-b']) {
      for (let n = 0; n < 4; n++) {
        const answer = await junction.post(`/${ns}/default`, structuredEvent(), { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${tokens[`${ns}-ingest`]}` });
        expect(answer.status).toBe(202);
      }
    }
    await subscriber.waitForRequests(8);
  });
  afterAll(async () => {
    await subscriber?.close();
    await junction?.stop();
  });

  it('gives a namespace reader the sampled rates of its own brokers and triggers only', async () => {
    await expect.poll(async () => peak((await history(historyOf('team-a'), tokens['team-a-read'])).triggers[0]?.delivered ?? []), { timeout: 10_000 }).toBeGreaterThan(0);
    const answer = await call('GET', historyOf('team-a'), tokens['team-a-read']);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const document = answer.json as StatsHistoryDocument;
    expect(document).toMatchObject({ apiVersion: 'junction.dev/v1', kind: 'StatsHistory', namespace: 'team-a', intervalSeconds: 0.2, windowSeconds: 900 });
    expect(document.brokers.map((broker) => `${broker.namespace}/${broker.name}`)).toEqual(['team-a/default']);
    expect(document.triggers.map((trigger) => `${trigger.namespace}/${trigger.broker}/${trigger.name}`)).toEqual(['team-a/default/team-a-trigger']);
    for (const series of [...document.brokers, ...document.triggers]) {
      for (const values of Object.values(series).filter(Array.isArray)) expect(values).toHaveLength(document.times.length);
    }
    expect(peak(document.brokers[0]!.received)).toBeGreaterThan(0);
    expect(peak(document.brokers[0]!.p99Seconds)).toBeGreaterThan(0);
    expect(JSON.stringify(document)).not.toContain('team-b');
  });

  it('refuses another namespace, all namespaces, ingest tokens and anonymous callers with problem+json', async () => {
    for (const [path, token, status, code] of [
      [historyOf('team-b'), tokens['team-a-read'], 403, 'JUNCTION_FORBIDDEN'],
      [HISTORY, tokens['team-a-read'], 403, 'JUNCTION_FORBIDDEN'],
      [historyOf('team-a'), tokens['team-a-ingest'], 403, 'JUNCTION_FORBIDDEN'],
      [historyOf('team-a'), undefined, 401, 'JUNCTION_UNAUTHENTICATED'],
      [HISTORY, undefined, 401, 'JUNCTION_UNAUTHENTICATED'],
    ] as const) {
      const answer = await call('GET', path, token);
      expect({ path, status: answer.status, code: answer.json.code }).toEqual({ path, status, code });
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(answer.json)).not.toMatch(/"times"|"received"|trigger/);
    }
  });

  it('gives a cluster-wide token every namespace, and drops the series of a deleted trigger', async () => {
    const all = await history(HISTORY, tokens.admin);
    expect(all.namespace).toBe('*');
    expect(all.triggers.map((trigger) => trigger.name)).toEqual(['team-a-trigger', 'team-b-trigger']);
    expect(all.brokers.map((broker) => broker.namespace)).toEqual(['team-a', 'team-b']);

    expect((await call('DELETE', '/apis/eventing.knative.dev/v1/namespaces/team-b/triggers/team-b-trigger', tokens.admin)).status).toBe(200);
    await expect.poll(async () => (await history(HISTORY, tokens.admin)).triggers.map((trigger) => trigger.name), { timeout: 5_000 }).toEqual(['team-a-trigger']);
    expect((await history(historyOf('team-b'), tokens['team-b-read'])).brokers.map((broker) => broker.name)).toEqual(['default']);
  });
});
