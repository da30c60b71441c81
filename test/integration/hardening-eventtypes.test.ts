import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { loadConfig } from '../../core/config/index.js';
import { eventually } from '../support/eventually.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const BATCH = 'application/cloudevents-batch+json';

// Issue #13, item 4: an ingest-only token could make Junction record an EventType resource for every
// new type it made up, without limit and outside maxResources.
describe('hardening: auto-recorded EventTypes are bounded and counted', () => {
  let junction: TestJunction;
  let admin: string;
  const ingest: Record<string, string> = {};

  const call = async (method: 'GET' | 'POST' | 'PUT', path: string, token: string, body?: unknown, contentType = 'application/json') => {
    const response = await request(`${junction.url}${path}`, { method, headers: { 'content-type': contentType, authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.body.text();
    return { status: response.statusCode, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
  };
  const resource = (kind: 'Broker' | 'Trigger', namespace: string, name: string) => ({
    apiVersion: 'eventing.knative.dev/v1',
    kind,
    metadata: { name, namespace },
    spec: kind === 'Trigger' ? { broker: 'default', subscriber: { uri: 'http://127.0.0.1:9/' } } : {},
  });
  const put = (kind: 'Broker' | 'Trigger', namespace: string, name: string) => call('PUT', `/apis/eventing.knative.dev/v1/namespaces/${namespace}/${kind.toLowerCase()}s/${name}`, admin, resource(kind, namespace, name));
  /** One batch of events, each of a type nobody saw before. */
  const sendNewTypes = (namespace: string, prefix: string, count: number) =>
    call('POST', `/${namespace}/default`, ingest[namespace], Array.from({ length: count }, (_, i) => ({ specversion: '1.0', id: `${prefix}-${i}`, source: '/made-up', type: `com.example.${prefix}.${i}` })), BATCH);
  const eventTypes = async (namespace: string) => (await call('GET', `/apis/eventing.knative.dev/v1beta2/namespaces/${namespace}/eventtypes`, admin)).json.items as Array<{ spec: { type: string } }>;
  const metrics = async () => (await call('GET', '/metrics', admin)).text;

  beforeAll(async () => {
    junction = await startTestJunction({
      'auth.mode': 'on',
      'broker.defaultChannel': 'memory',
      'quotas.default': { maxRecordedEventTypes: 3 },
      'quotas.namespaces': { capped: { maxRecordedEventTypes: 5 }, small: { maxResources: 3 } },
    });
    admin = readFileSync(join(junction.dataDir, 'admin.token'), 'utf8').trim();
    for (const namespace of ['capped', 'small', 'open']) {
      expect((await put('Broker', namespace, 'default')).status).toBe(201);
      await eventually(async () => expect((await call('GET', `/apis/eventing.knative.dev/v1/namespaces/${namespace}/brokers/default`, admin)).json.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' })));
      const created = await call('POST', `/apis/junction.dev/v1/namespaces/${namespace}/tokens`, admin, { role: 'ingest' });
      expect(created.status).toBe(201);
      ingest[namespace] = created.json.token;
    }
  });
  afterAll(async () => junction?.stop());

  it('records at most maxRecordedEventTypes per namespace, and says so when it drops one', async () => {
    // The events themselves are accepted: only their recording is capped.
    expect((await sendNewTypes('capped', 'flood', 200)).status).toBe(202);
    expect(await eventTypes('capped')).toHaveLength(5);
    expect(await metrics()).toContain('junction_eventtypes_not_recorded_total{namespace="capped",broker="default",reason="eventtype-limit"} 195');
    const events = await call('GET', '/apis/junction.dev/v1/namespaces/capped/events?kind=Broker&name=default', admin);
    expect(events.json.items).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'EventTypeNotRecorded', message: expect.stringContaining('maxRecordedEventTypes 5'), count: 195 }));
    // The same types again: nothing new to record, nothing more to count.
    expect((await sendNewTypes('capped', 'flood', 200)).status).toBe(202);
    expect(await eventTypes('capped')).toHaveLength(5);
    expect(await metrics()).toContain('junction_eventtypes_not_recorded_total{namespace="capped",broker="default",reason="eventtype-limit"} 195');
  });

  it('applies quotas.default to namespaces without their own entry, 1000 unless configured', async () => {
    expect((await sendNewTypes('open', 'open', 10)).status).toBe(202);
    expect(await eventTypes('open')).toHaveLength(3);
    expect(loadConfig({ overrides: {} }).quotas.default.maxRecordedEventTypes).toBe(1000);
  });

  it('counts recorded EventTypes towards maxResources, and records none past it', async () => {
    expect((await sendNewTypes('small', 'first', 1)).status).toBe(202);
    expect(await eventTypes('small')).toHaveLength(1);
    // Broker + recorded EventType + this Trigger: the namespace is full.
    expect((await put('Trigger', 'small', 'one')).status).toBe(201);
    const refused = await put('Trigger', 'small', 'two');
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe('JUNCTION_QUOTA_RESOURCES');
    expect((await sendNewTypes('small', 'second', 1)).status).toBe(202);
    expect(await eventTypes('small')).toHaveLength(1);
    expect(await metrics()).toContain('junction_eventtypes_not_recorded_total{namespace="small",broker="default",reason="resource-quota"} 1');
  });
});
