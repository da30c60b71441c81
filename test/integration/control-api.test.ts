import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const BROKERS = '/apis/eventing.knative.dev/v1/namespaces/default/brokers';

describe('control API (Kubernetes-style REST)', () => {
  let junction: TestJunction;
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, contentType = 'application/json') => {
    const response = await request(`${junction.url}${path}`, { method, headers: { 'content-type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.body.text();
    return { status: response.statusCode, json: text ? JSON.parse(text) : undefined };
  };
  const broker = (name: string, labels?: Record<string, string>) => ({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name, labels } });

  beforeAll(async () => {
    junction = await startTestJunction();
  });
  afterAll(async () => junction?.stop());

  it('creates, refuses a duplicate create, and gets', async () => {
    const created = await call('POST', BROKERS, broker('one', { team: 'a' }));
    expect(created.status).toBe(201);
    expect(created.json.metadata).toMatchObject({ name: 'one', namespace: 'default', generation: 1 });
    expect(created.json.metadata.uid).toMatch(/[0-9a-f-]{36}/);
    expect((await call('POST', BROKERS, broker('one'))).json.code).toBe('JUNCTION_RESOURCE_EXISTS');
    const got = await call('GET', `${BROKERS}/one`);
    expect(got.json.metadata.annotations['eventing.knative.dev/broker.class']).toBe('MTChannelBasedBroker');
    expect((await call('GET', `${BROKERS}/missing`)).json.code).toBe('JUNCTION_RESOURCE_NOT_FOUND');
  });

  it('enforces resourceVersion on replace (409) and bumps generation only on spec changes', async () => {
    const current = (await call('GET', `${BROKERS}/one`)).json;
    const same = await call('PUT', `${BROKERS}/one`, broker('one', { team: 'a' }));
    expect(same.json.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
    const changed = await call('PUT', `${BROKERS}/one`, { ...broker('one', { team: 'a' }), spec: { delivery: { retry: 2 } }, metadata: { name: 'one', labels: { team: 'a' }, resourceVersion: current.metadata.resourceVersion } });
    expect(changed.status).toBe(200);
    expect(changed.json.metadata.generation).toBe(2);
    const stale = await call('PUT', `${BROKERS}/one`, { ...broker('one'), metadata: { name: 'one', resourceVersion: current.metadata.resourceVersion } });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('JUNCTION_RESOURCE_CONFLICT');
    await junction.controllers.idle();
    const ready = (await junction.waitReady('brokers', 'default', 'one')) as any;
    expect(ready.status.observedGeneration).toBe(2);
    expect(ready.status.address.url).toBe(`${junction.url}/default/one`);
  });

  it('merge-patches, lists with label selectors, and deletes', async () => {
    await call('POST', BROKERS, broker('two', { team: 'b' }));
    const patched = await call('PATCH', `${BROKERS}/two`, { metadata: { labels: { tier: 'gold' } } }, 'application/merge-patch+json');
    expect(patched.json.metadata.labels).toEqual({ team: 'b', tier: 'gold' });
    const names = async (selector: string) => (await call('GET', `${BROKERS}?labelSelector=${encodeURIComponent(selector)}`)).json.items.map((b: any) => b.metadata.name);
    expect(await names('team=b')).toEqual(['two']);
    expect(await names('team!=b')).toEqual(['one']);
    expect(await names('tier')).toEqual(['two']);
    expect(await names('team in (a,b)')).toEqual(['one', 'two']);
    expect((await call('GET', `${BROKERS}?labelSelector=${encodeURIComponent('a b c')}`)).json.code).toBe('JUNCTION_BAD_REQUEST');
    expect((await call('DELETE', `${BROKERS}/two`)).status).toBe(200);
    expect((await call('GET', `${BROKERS}/two`)).status).toBe(404);
  });

  it('rejects a resource with every problem and its path', async () => {
    const bad = await call('POST', '/apis/eventing.knative.dev/v1/namespaces/default/triggers', {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name: 'Bad_Name' },
      spec: { subscriber: { uri: 'not a url' }, delivery: { retry: -1, backoffDelay: 'soon' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('JUNCTION_RESOURCE_INVALID');
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['metadata.name', 'spec.broker']));
    const unknown = await call('POST', '/apis/example.com/v1/namespaces/default/widgets', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    expect(unknown.json.code).toBe('JUNCTION_KIND_UNKNOWN');
  });

  it('answers 400, not 500, for metadata that is not a mapping (a docs fragment such as `metadata: ...`)', async () => {
    for (const method of ['PUT', 'POST'] as const) {
      const path = `/apis/eventing.knative.dev/v1/namespaces/default/triggers${method === 'PUT' ? '/fragment' : ''}`;
      const answer = await call(method, path, { apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: '...', spec: { filters: [{ exact: { type: 'com.github.push' } }] } });
      expect(answer.status).toBe(400);
      expect(answer.json.code).toBe('JUNCTION_RESOURCE_INVALID');
      expect(answer.json.errors).toEqual([{ path: 'metadata', message: 'must be an object' }]);
    }
  });

  it('streams changes with ?watch=true', async () => {
    const response = await request(`${junction.url}${BROKERS}?watch=true`);
    const lines: string[] = [];
    let buffer = '';
    const seen = new Promise<void>((resolve) => {
      response.body.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        lines.push(...parts);
        if (lines.some((l) => l.includes('"DELETED"') && l.includes('"watched"'))) resolve();
      });
    });
    await call('POST', BROKERS, broker('watched'));
    await call('DELETE', `${BROKERS}/watched`);
    await seen;
    response.body.on('error', () => undefined);
    response.body.destroy();
    const events = lines.map((l) => JSON.parse(l)).filter((e) => e.object.metadata.name === 'watched').map((e) => e.type);
    expect(events[0]).toBe('ADDED');
    expect(events[events.length - 1]).toBe('DELETED');
    expect(lines.map((l) => JSON.parse(l)).some((e) => e.type === 'ADDED' && e.object.metadata.name === 'one')).toBe(true);
  });
});
