import { describe, expect, it } from 'vitest';
import { useBrokerPerTest } from '../support/broker-fixture.js';
import { sendSentinel, waitForTriggerDrained } from '../support/drained.js';
import type { HttpSubscriber } from '../support/http-subscriber.js';
import { structuredEvent } from '../support/junction.js';

const CE_JSON = { 'content-type': 'application/cloudevents+json' };

describe('broker delivery through triggers', () => {
  const fixture = useBrokerPerTest();
  const { subscriber } = fixture;

  const trigger = async (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>) => {
    await fixture.junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: { name, namespace: 'default', annotations }, spec: { broker: 'default', ...spec } });
    return fixture.junction.waitReady('triggers', 'default', name);
  };
  const send = async (overrides: Record<string, unknown>) => {
    const answer = await fixture.junction.post('/default/default', structuredEvent(overrides), CE_JSON);
    expect(answer.status).toBe(202);
  };

  it('delivers each event only to the triggers whose filters match', async () => {
    const orders = await subscriber();
    const notTest = await subscriber();
    const everything = await subscriber();
    await trigger('orders', { filter: { attributes: { type: 'com.shop.order.created', source: '' } }, subscriber: { uri: orders.url } });
    await trigger('not-test', { filters: [{ prefix: { type: 'com.shop.' } }, { not: { exact: { source: '/test' } } }], subscriber: { uri: notTest.url } });
    await trigger('all', { subscriber: { uri: everything.url } });

    await send({ id: '1', type: 'com.shop.order.created', source: '/web' });
    await send({ id: '2', type: 'com.shop.order.created', source: '/test' });
    await send({ id: '3', type: 'com.shop.refund', source: '/web' });
    await send({ id: '4', type: 'org.other', source: '/web' });

    // A sentinel every filter passes, sent last: once all three got it and drained, every event
    // before it has been filtered for each trigger, and delivered where it matched.
    const sentinel = await sendSentinel(fixture.junction, { subscribers: [orders, notTest, everything], triggers: ['orders', 'not-test', 'all'] }, { type: 'com.shop.order.created', source: '/web' });
    const ids = (s: HttpSubscriber) => s.requests.map((r) => r.headers['ce-id']).filter((id) => id !== sentinel).sort();
    expect(ids(orders)).toEqual(['1', '2']);
    expect(ids(notTest)).toEqual(['1', '3']);
    expect(ids(everything)).toEqual(['1', '2', '3', '4']);
  });

  it('delivers binary-mode JSON data with the bytes it was received with', async () => {
    const sink = await subscriber();
    await trigger('exact', { subscriber: { uri: sink.url } });
    // Digits beyond a double's precision and the spacing would not survive a parse and re-serialise.
    const data = '{"amount": 12345678901234567890, "items": [ "a", "b" ]}';
    const answer = await fixture.junction.post('/default/default', data, { 'ce-specversion': '1.0', 'ce-id': 'exact-1', 'ce-source': '/web', 'ce-type': 'com.shop.order.created', 'content-type': 'application/json' });
    expect(answer.status).toBe(202);
    await sink.waitForRequests(1, 20_000);
    expect(sink.requests[0]!.body.toString()).toBe(data);
    expect(sink.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('rejects an invalid filter at admission with every problem and its path, and cesql with its own code', async () => {
    const bad = await fixture.junction.post(
      '/apis/eventing.knative.dev/v1/namespaces/default/triggers',
      JSON.stringify({ apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: { name: 'bad' }, spec: { broker: 'default', filters: [{ prefix: {} }, { exact: { type: 'a', source: 'b' } }], subscriber: {} } }),
      { 'content-type': 'application/json' },
    );
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('JUNCTION_RESOURCE_INVALID');
    const paths = bad.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['spec.filters[0].prefix', 'spec.filters[1].exact', 'spec.subscriber']));

    const cesql = await fixture.junction.post(
      '/apis/eventing.knative.dev/v1/namespaces/default/triggers',
      JSON.stringify({ apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: { name: 'sql' }, spec: { broker: 'default', filters: [{ cesql: "type = 'x' AND" }], subscriber: { uri: 'http://127.0.0.1:1/' } } }),
      { 'content-type': 'application/json' },
    );
    expect(cesql.status).toBe(400);
    expect(cesql.json.code).toBe('JUNCTION_FILTER_CESQL_INVALID');
    expect(cesql.json.errors[0].path).toBe('spec.filters[0].cesql');
    expect(cesql.json.errors[0].message).toContain('column 15');
  });

  it('retries, then dead-letters with the knativeerror extensions', async () => {
    const failing = await subscriber([{ status: 500, body: 'boom' }]);
    const dead = await subscriber();
    await trigger('flaky', {
      subscriber: { uri: failing.url },
      delivery: { retry: 2, backoffPolicy: 'linear', backoffDelay: 'PT0.01S', deadLetterSink: { uri: dead.url } },
    });
    await send({ id: 'dl-1', data: { a: 1 } });
    const [letter] = await dead.waitForRequests(1);
    expect(failing.requests).toHaveLength(3);
    expect(letter.headers['ce-id']).toBe('dl-1');
    expect(letter.headers['ce-knativeerrordest']).toBe(failing.url);
    expect(letter.headers['ce-knativeerrorcode']).toBe('500');
    expect(Buffer.from(String(letter.headers['ce-knativeerrordata']), 'base64').toString()).toBe('boom');
    expect(JSON.parse(letter.body.toString())).toEqual({ a: 1 });
  });

  it('publishes replies back into the broker and stops reply loops when the TTL runs out', async () => {
    const replyEvent = (ttl?: string) => ({
      status: 200,
      headers: { 'ce-specversion': '1.0', 'ce-id': `r-${Math.random()}`, 'ce-source': '/replier', 'ce-type': 'com.example.loop', ...(ttl ? { 'ce-knativebrokerttl': ttl } : {}) },
    });
    const replier = await subscriber(() => replyEvent());
    const observer = await subscriber();
    await trigger('loop', { filter: { attributes: { type: 'com.example.loop' } }, subscriber: { uri: replier.url } });
    await trigger('observer', { filter: { attributes: { type: 'com.example.loop' } }, subscriber: { uri: observer.url } });
    await send({ id: 'loop-0', type: 'com.example.loop', knativebrokerttl: 5 });
    // TTL 5 -> replies with TTL 4, 3, 2, 1 are published; the fifth reply would reach 0 and is dropped.
    await observer.waitForRequests(5);
    // The loop ends when the fifth reply is dropped: once the counter shows it, nothing can enter the
    // broker any more, and the observer has its fifth event (the one the replier answered last).
    await expect
      .poll(async () => /junction_events_dropped_total\{[^}]*reason="ttl-exhausted"[^}]*\} (\d+)/.exec(await (await fetch(`${fixture.junction.url}/metrics`)).text())?.[1], { timeout: 10_000 })
      .toBe('1');
    await waitForTriggerDrained(fixture.junction, 'default', 'observer');
    expect(observer.requests).toHaveLength(5);
    expect(observer.requests.map((r) => r.headers['ce-knativebrokerttl'])).toEqual(['5', '4', '3', '2', '1']);
    expect(replier.requests).toHaveLength(5);
  });

  it('treats a 2xx claiming to be a CloudEvent but invalid as a failed delivery (502)', async () => {
    const broken = await subscriber([{ status: 200, headers: { 'ce-specversion': '1.0', 'ce-id': 'x' } }]);
    const dead = await subscriber();
    await trigger('broken-reply', { subscriber: { uri: broken.url }, delivery: { retry: 1, backoffDelay: 'PT0.01S', deadLetterSink: { uri: dead.url } } });
    await send({ id: 'br-1' });
    const [letter] = await dead.waitForRequests(1);
    expect(letter.headers['ce-knativeerrorcode']).toBe('502');
    expect(broken.requests).toHaveLength(2);
  });

  it('exposes each trigger\'s backlog as a metric', async () => {
    const down = await subscriber([{ status: 503 }]);
    await trigger('backlogged', { subscriber: { uri: down.url }, delivery: { retry: 100, backoffPolicy: 'linear', backoffDelay: 'PT0.05S' } });
    for (let i = 0; i < 3; i++) await send({ id: `bl-${i}` });
    const pattern = /junction_trigger_backlog\{[^}]*trigger="backlogged"[^}]*\} (\d+)/;
    const backlog = async () => Number(pattern.exec(await (await fetch(`${fixture.junction.url}/metrics`)).text())?.[1] ?? -1);
    await expect.poll(backlog, { timeout: 10_000, interval: 30 }).toBe(3);
    down.respond([{ status: 202 }]);
    await expect.poll(backlog, { timeout: 10_000, interval: 30 }).toBe(0);
  });

  it('keeps per-key order with delivery.order: ordered', async () => {
    const slow = await subscriber(() => ({ status: 202, delayMs: Math.floor(Math.random() * 5) }));
    await trigger('ordered', { subscriber: { uri: slow.url } }, { 'kafka.eventing.knative.dev/delivery.order': 'ordered' });
    const keys = ['a', 'b', 'c', 'd'];
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < 40; i++) sends.push(send({ id: `o-${i}`, partitionkey: keys[i % 4], seq: i }));
    await Promise.all(sends);
    await slow.waitForRequests(40, 20_000);
    for (const key of keys) {
      const sequence = slow.requests.filter((r) => r.headers['ce-partitionkey'] === key).map((r) => Number(r.headers['ce-seq']));
      expect(sequence).toEqual([...sequence].sort((x, y) => x - y));
      expect(sequence).toHaveLength(10);
    }
  });

  it('replays retained events from an offset', async () => {
    const sink = await subscriber();
    await trigger('replayed', { subscriber: { uri: sink.url } });
    for (let i = 0; i < 3; i++) await send({ id: `rp-${i}` });
    await sink.waitForRequests(3);
    const replay = await fixture.junction.post('/apis/junction.dev/v1/namespaces/default/replays', JSON.stringify({ trigger: 'replayed', from: 0 }), { 'content-type': 'application/json' });
    expect(replay.status).toBe(202);
    expect(replay.json.events).toBe(3);
    await sink.waitForRequests(6);
    expect(sink.requests.slice(3).map((r) => r.headers['ce-id'])).toEqual(['rp-0', 'rp-1', 'rp-2']);
    const bad = await fixture.junction.post('/apis/junction.dev/v1/namespaces/default/replays', JSON.stringify({ trigger: 'replayed', from: 'yesterday' }), { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('JUNCTION_REPLAY_INVALID');
  });
});
