import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { useBrokerPerTest } from '../support/broker-fixture.js';
import { eventually } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber, type ResponsePlan } from '../support/http-subscriber.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';
import { deleteStreams, uniqueStreamPrefix } from '../support/nats-streams.js';
import { NATS_URL } from '../support/services.js';

/**
 * Issue #13: a slow subscriber must hold back only the trigger (or subscription) delivering to it,
 * never another one that delivers to the same host:port, in the same namespace or another.
 */

/** Connections per origin the deliverer used to share between every trigger: the pool a slow subscriber exhausted. */
const OLD_SHARED_POOL = 100;
/** `broker.maxInFlightPerTrigger` by default: a trigger's own bound. */
const MAX_IN_FLIGHT = 256;
const SLOW_EVENTS = 300;
const FAST_EVENTS = 200;
const batch = { 'content-type': 'application/cloudevents-batch+json' };

/** One origin with two paths: `/slow` holds every request open until `release()`, `/fast` answers at once. */
interface SharedOrigin {
  subscriber: HttpSubscriber;
  slowUrl: string;
  fastUrl: string;
  /** Ids of the events that arrived on `path` (`/slow` or `/fast`). */
  arrived(path: string): string[];
  release(): void;
}

async function sharedOrigin(start: (plan: ResponsePlan) => Promise<HttpSubscriber>): Promise<SharedOrigin> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const subscriber = await start((request) => (request.url === '/slow' ? { status: 202, until: released } : { status: 202 }));
  return {
    subscriber,
    slowUrl: new URL('/slow', subscriber.url).href,
    fastUrl: new URL('/fast', subscriber.url).href,
    arrived: (path) => subscriber.requests.filter((recorded) => recorded.url === path).map((recorded) => String(recorded.headers['ce-id'])),
    release,
  };
}

function trigger(namespace: string, name: string, subscriberUrl: string, type: string): Resource {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: { name, namespace },
    spec: { broker: 'default', subscriber: { uri: subscriberUrl }, filter: { attributes: { type } } },
  };
}

function broker(namespace: string, annotations?: Record<string, string>): Resource {
  return { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace, annotations }, spec: {} };
}

/** Posts `count` events of `type` in one batch to `path` (a broker's or a channel's ingress). */
async function send(junction: TestJunction, path: string, type: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, index) => `${type}-${index}`);
  const events = ids.map((id) => ({ specversion: '1.0', id, source: '/hardening', type }));
  expect((await junction.post(path, JSON.stringify(events), batch)).status).toBe(202);
  return ids;
}

/**
 * The slow side gets its events and holds them open (beyond what the old shared pool had), then the
 * fast side must get every one of its events while the slow side still holds; once released, the
 * slow side gets the rest of its events too, each once.
 */
async function expectFastUnaffected(origin: SharedOrigin, sendSlow: () => Promise<string[]>, sendFast: () => Promise<string[]>): Promise<void> {
  const slowIds = await sendSlow();
  await eventually(() => expect(origin.arrived('/slow').length).toBeGreaterThanOrEqual(OLD_SHARED_POOL));
  const fastIds = await sendFast();
  await eventually(() => expect(origin.arrived('/fast')).toHaveLength(fastIds.length));
  expect(origin.arrived('/fast').sort()).toEqual([...fastIds].sort());
  // Still held: the slow side has every delivery it may have in flight open, and no answer yet.
  await eventually(() => expect(origin.arrived('/slow')).toHaveLength(MAX_IN_FLIGHT));

  origin.release();
  await eventually(() => expect(origin.arrived('/slow').length).toBeGreaterThanOrEqual(slowIds.length));
  expect(origin.arrived('/slow').sort()).toEqual([...slowIds].sort());
}

describe('hardening: a slow subscriber holds back only its own trigger', () => {
  const fixture = useBrokerPerTest();

  it('two triggers of one broker, one origin: the fast trigger gets every event while the slow one holds all its requests open', async () => {
    const { junction } = fixture;
    const origin = await sharedOrigin((plan) => fixture.subscriber(plan));
    await junction.apply(trigger('default', 'slow', origin.slowUrl, 'com.example.slow'));
    await junction.apply(trigger('default', 'fast', origin.fastUrl, 'com.example.fast'));
    await junction.waitReady('triggers', 'default', 'slow');
    await junction.waitReady('triggers', 'default', 'fast');

    await expectFastUnaffected(
      origin,
      () => send(junction, '/default/default', 'com.example.slow', SLOW_EVENTS),
      () => send(junction, '/default/default', 'com.example.fast', FAST_EVENTS),
    );
  }, 60_000);

  it('triggers in different namespaces, one origin: a tenant\'s slow subscriber does not hold back another tenant', async () => {
    const { junction } = fixture;
    const origin = await sharedOrigin((plan) => fixture.subscriber(plan));
    await junction.apply(broker('tenant-b'));
    await junction.waitReady('brokers', 'tenant-b', 'default');
    await junction.apply(trigger('default', 'slow', origin.slowUrl, 'com.example.slow'));
    await junction.apply(trigger('tenant-b', 'fast', origin.fastUrl, 'com.example.fast'));
    await junction.waitReady('triggers', 'default', 'slow');
    await junction.waitReady('triggers', 'tenant-b', 'fast');

    await expectFastUnaffected(
      origin,
      () => send(junction, '/default/default', 'com.example.slow', SLOW_EVENTS),
      () => send(junction, '/tenant-b/default', 'com.example.fast', FAST_EVENTS),
    );
  }, 60_000);

  it('subscriptions of two channels, one origin: the fast subscription gets every event while the slow one holds its requests open', async () => {
    const { junction } = fixture;
    const origin = await sharedOrigin((plan) => fixture.subscriber(plan));
    for (const [name, url] of [['slow', origin.slowUrl], ['fast', origin.fastUrl]] as const) {
      await junction.apply({ apiVersion: 'messaging.knative.dev/v1', kind: 'InMemoryChannel', metadata: { name, namespace: 'default' } });
      await junction.apply({
        apiVersion: 'messaging.knative.dev/v1',
        kind: 'Subscription',
        metadata: { name, namespace: 'default' },
        spec: { channel: { apiVersion: 'messaging.knative.dev/v1', kind: 'InMemoryChannel', name }, subscriber: { uri: url } },
      });
      await junction.waitReady('subscriptions', 'default', name, 'messaging.knative.dev/v1');
    }

    await expectFastUnaffected(
      origin,
      () => send(junction, '/channels/default/slow', 'com.example.slow', SLOW_EVENTS),
      () => send(junction, '/channels/default/fast', 'com.example.fast', FAST_EVENTS),
    );
  }, 60_000);

  it('keeps a trigger\'s connections alive between deliveries and closes them when the trigger is deleted', async () => {
    const { junction } = fixture;
    // Idle connections stay open a minute unless the client closes them.
    const subscriber = await fixture.subscriber(undefined, '/', { keepAliveMs: 60_000 });
    await junction.apply(trigger('default', 'reused', subscriber.url, 'com.example.reused'));
    await junction.waitReady('triggers', 'default', 'reused');

    for (let index = 1; index <= 10; index++) {
      await send(junction, '/default/default', 'com.example.reused', 1);
      await subscriber.waitForRequests(index);
    }
    // One at a time over keep-alive: undici may alternate between two idle sockets, never one per event.
    expect(new Set(subscriber.requests.map((recorded) => recorded.remotePort)).size).toBeLessThanOrEqual(2);
    expect(await subscriber.openConnections()).toBeGreaterThan(0);

    const deleted = await request(`${junction.url}/apis/eventing.knative.dev/v1/namespaces/default/triggers/reused`, { method: 'DELETE' });
    await deleted.body.dump();
    expect(deleted.statusCode).toBeLessThan(300);
    await eventually(async () => expect(await subscriber.openConnections()).toBe(0), 10_000);
  }, 30_000);
});

describe('hardening: on an engine with consumer groups (NATS), a slow subscriber holds back only its own trigger', () => {
  const prefix = uniqueStreamPrefix('isolation');
  let junction: TestJunction;
  const subscribers: HttpSubscriber[] = [];
  beforeAll(async () => {
    junction = await startTestJunction({ 'channels.nats': { servers: [NATS_URL], streamPrefix: prefix, subjectPrefix: prefix.toLowerCase() } });
  }, 60_000);
  afterAll(async () => {
    await junction?.stop();
    await Promise.all(subscribers.map((subscriber) => subscriber.close()));
    await deleteStreams(NATS_URL, prefix);
  });

  it('two triggers (two consumer groups) of one broker, one origin: the fast trigger gets every event while the slow one holds its requests open', async () => {
    const origin = await sharedOrigin(async (plan) => {
      const started = await startHttpSubscriber(plan);
      subscribers.push(started);
      return started;
    });
    await junction.apply(broker('engine', { 'junction.dev/channel': 'nats' }));
    await junction.waitReady('brokers', 'engine', 'default', 'eventing.knative.dev/v1', 20_000);
    await junction.apply(trigger('engine', 'slow', origin.slowUrl, 'com.example.slow'));
    await junction.apply(trigger('engine', 'fast', origin.fastUrl, 'com.example.fast'));
    await junction.waitReady('triggers', 'engine', 'slow');
    await junction.waitReady('triggers', 'engine', 'fast');

    await expectFastUnaffected(
      origin,
      () => send(junction, '/engine/default', 'com.example.slow', SLOW_EVENTS),
      () => send(junction, '/engine/default', 'com.example.fast', FAST_EVENTS),
    );
  }, 60_000);
});
