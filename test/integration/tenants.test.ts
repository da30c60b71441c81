import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { startTestJunction, structuredEvent, type TestJunction } from '../support/junction.js';

describe('tenants: tokens, isolation and quotas', () => {
  let junction: TestJunction;
  let admin: string;
  const tokens: Record<string, string> = {};

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, token: string | undefined, body?: unknown, contentType = 'application/json') => {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await request(`${junction.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  };
  const broker = (ns: string, name = 'default') => ({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name, namespace: ns } });

  beforeAll(async () => {
    junction = await startTestJunction({
      'auth.mode': 'on',
      // Recorded EventTypes count towards maxResources (hardening-eventtypes.test.ts): none here, so the
      // count below is the brokers' alone.
      'quotas.namespaces': { limited: { ingestPerSecond: 1, ingestBurst: 2, maxEventBytes: 400, maxResources: 2, maxRecordedEventTypes: 0 } },
    });
    admin = readFileSync(join(junction.dataDir, 'admin.token'), 'utf8').trim();
    for (const ns of ['team-a', 'team-b', 'limited']) {
      expect((await call('PUT', `/apis/eventing.knative.dev/v1/namespaces/${ns}/brokers/default`, admin, broker(ns))).status).toBe(201);
      await junction.waitReady('brokers', ns, 'default').catch(() => undefined);
    }
    for (const [name, ns, role] of [['a-ingest', 'team-a', 'ingest'], ['a-read', 'team-a', 'read'], ['a-admin', 'team-a', 'admin'], ['limited', 'limited', 'admin']] as const) {
      const created = await call('POST', `/apis/junction.dev/v1/namespaces/${ns}/tokens`, admin, { role });
      expect(created.status).toBe(201);
      tokens[name] = created.json.token;
    }
  });
  afterAll(async () => junction?.stop());

  it('requires a bearer token when auth is on', async () => {
    const answer = await call('GET', '/apis/eventing.knative.dev/v1/namespaces/team-a/brokers', undefined);
    expect(answer.status).toBe(401);
    expect(answer.json.code).toBe('JUNCTION_UNAUTHENTICATED');
    expect(answer.headers['www-authenticate']).toContain('Bearer');
    expect((await call('GET', '/apis/eventing.knative.dev/v1/namespaces/team-a/brokers', 'jct_aaaaaaaaaaaa_' + 'x'.repeat(43))).status).toBe(401);
  });

  it('never lets a token of one namespace read, write, list or send into another', async () => {
    for (const token of [tokens['a-admin'], tokens['a-read'], tokens['a-ingest']]) {
      expect((await call('GET', '/apis/eventing.knative.dev/v1/namespaces/team-b/brokers', token)).status).toBe(403);
      expect((await call('GET', '/apis/eventing.knative.dev/v1/namespaces/team-b/brokers/default', token)).status).toBe(403);
      expect((await call('GET', '/apis/eventing.knative.dev/v1/brokers', token)).status).toBe(403);
      expect((await call('PUT', '/apis/eventing.knative.dev/v1/namespaces/team-b/brokers/x', token, broker('team-b', 'x'))).status).toBe(403);
      const sent = await call('POST', '/team-b/default', token, structuredEvent(), 'application/cloudevents+json');
      expect(sent.status).toBe(403);
      expect(sent.json.code).toBe('JUNCTION_FORBIDDEN');
    }
  });

  it('enforces roles inside the namespace', async () => {
    expect((await call('POST', '/team-a/default', tokens['a-ingest'], structuredEvent(), 'application/cloudevents+json')).status).toBe(202);
    expect((await call('GET', '/apis/eventing.knative.dev/v1/namespaces/team-a/brokers', tokens['a-ingest'])).status).toBe(403);
    expect((await call('POST', '/team-a/default', tokens['a-read'], structuredEvent(), 'application/cloudevents+json')).status).toBe(403);
    const listed = await call('GET', '/apis/eventing.knative.dev/v1/namespaces/team-a/brokers', tokens['a-read']);
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((b: { metadata: { namespace: string } }) => b.metadata.namespace)).toEqual(['team-a']);
    expect((await call('PUT', '/apis/eventing.knative.dev/v1/namespaces/team-a/brokers/other', tokens['a-read'], broker('team-a', 'other'))).status).toBe(403);
    expect((await call('PUT', '/apis/eventing.knative.dev/v1/namespaces/team-a/brokers/other', tokens['a-admin'], broker('team-a', 'other'))).status).toBe(201);
  });

  it('stores tokens hashed and never returns them again', async () => {
    // jct_<12-char id>_<43-char secret>; the secret itself may contain "_".
    const secret = tokens['a-ingest'].slice('jct_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    const listed = await call('GET', '/apis/junction.dev/v1/namespaces/team-a/tokens', tokens['a-admin']);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.json)).not.toContain(secret);
    const db = readFileSync(join(junction.dataDir, 'resources.db'));
    expect(db.includes(Buffer.from(secret))).toBe(false);
  });

  it('never returns Secret values in plain text', async () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'team-a' }, stringData: { password: 'hunter2' } };
    expect((await call('PUT', '/api/v1/namespaces/team-a/secrets/s', tokens['a-admin'], secret)).status).toBe(201);
    const got = await call('GET', '/api/v1/namespaces/team-a/secrets/s', tokens['a-read']);
    expect(JSON.stringify(got.json)).not.toContain('hunter2');
    expect(JSON.stringify(got.json)).not.toContain(Buffer.from('hunter2').toString('base64'));
    expect(Object.keys(got.json.data)).toEqual(['password']);
  });

  it('answers quota breaches with 429 + Retry-After and 413, storing nothing', async () => {
    const big = await call('POST', '/limited/default', tokens.limited, structuredEvent({ data: 'x'.repeat(500) }), 'application/cloudevents+json');
    expect(big.status).toBe(413);
    expect(big.json.code).toBe('JUNCTION_QUOTA_EVENT_SIZE');
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 4; i++) {
      const answer = await call('POST', '/limited/default', tokens.limited, structuredEvent(), 'application/cloudevents+json');
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses.slice(0, 2)).toEqual([202, 202]);
    expect(limited?.json.code).toBe('JUNCTION_QUOTA_RATE');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('limits how many resources a namespace may hold', async () => {
    const second = await call('PUT', '/apis/eventing.knative.dev/v1/namespaces/limited/brokers/two', tokens.limited, broker('limited', 'two'));
    expect(second.status).toBe(201);
    const third = await call('PUT', '/apis/eventing.knative.dev/v1/namespaces/limited/brokers/three', tokens.limited, broker('limited', 'three'));
    expect(third.status).toBe(429);
    expect(third.json.code).toBe('JUNCTION_QUOTA_RESOURCES');
  });
});
