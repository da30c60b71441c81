import { HTTP, type CloudEvent as SdkEvent } from 'cloudevents';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { eventually, sleep } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber, type RecordedRequest } from '../support/http-subscriber.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const broker: Resource = { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace: 'pings' } };
const sink = { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } };

function pingSource(name: string, spec: Record<string, unknown>): Resource {
  return { apiVersion: 'sources.knative.dev/v1', kind: 'PingSource', metadata: { name, namespace: 'pings' }, spec: { sink, ...spec } };
}

/** The events a subscriber got, read by the CloudEvents SDK (which checks they are valid). */
function received(requests: RecordedRequest[]): SdkEvent<unknown>[] {
  return requests.map((request) => HTTP.toEvent({ headers: request.headers as Record<string, string>, body: request.body.toString('utf8') }) as SdkEvent<unknown>);
}

describe('PingSource with a real Junction', () => {
  let junction: TestJunction;
  let subscriber: HttpSubscriber;
  beforeAll(async () => {
    subscriber = await startHttpSubscriber();
  });
  afterAll(() => subscriber?.close());
  afterEach(async () => {
    await junction?.stop();
    subscriber.requests.length = 0;
  });

  const setUp = async (dataDir?: string) => {
    junction = await startTestJunction({ 'log.level': process.env.PING_DEBUG ? 'info' : 'silent' }, dataDir);
    await junction.apply(broker);
    await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: { name: 'all', namespace: 'pings' }, spec: { broker: 'default', subscriber: { uri: subscriber.url } } });
    await junction.waitReady('triggers', 'pings', 'all');
  };

  it('emits Knative ping events on the schedule with overrides, reports Ready with its sink, and stops when deleted', async () => {
    await setUp();
    await junction.apply(pingSource('every-second', { schedule: '* * * * * *', contentType: 'application/json', data: '{"message":"Hello world!"}', ceOverrides: { extensions: { team: 'payments' } } }));
    const ready = await junction.waitReady('pingsources', 'pings', 'every-second', 'sources.knative.dev/v1');
    expect(ready.status?.sinkUri).toBe(`${junction.url}/pings/default`);
    expect(ready.status?.conditions?.map((c) => `${c.type}=${c.status}`).sort()).toEqual(['Deployed=True', 'Ready=True', 'SinkProvided=True']);

    await subscriber.waitForRequests(2, 10_000);
    const events = received(subscriber.requests);
    for (const event of events) {
      expect(event).toMatchObject({ type: 'dev.knative.sources.ping', source: '/apis/v1/namespaces/pings/pingsources/every-second', datacontenttype: 'application/json', team: 'payments' });
      expect(event.data).toEqual({ message: 'Hello world!' });
      expect(Date.parse(event.time!) % 1000).toBe(0);
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    // Its event type is recorded (declared by the source, once) for `junction get eventtypes`, and goes with it.
    const eventTypes = async () => (await junction.call('GET', '/apis/eventing.knative.dev/v1beta2/namespaces/pings/eventtypes')).json.items as Array<{ metadata: { labels?: Record<string, string> }; spec: Record<string, unknown> }>;
    const declared = (await eventTypes()).filter((item) => item.spec.type === 'dev.knative.sources.ping');
    expect(declared).toHaveLength(1);
    expect(declared[0]).toMatchObject({ metadata: { labels: { 'sources.junction.dev/source': 'PingSource.every-second' } }, spec: { source: '/apis/v1/namespaces/pings/pingsources/every-second', broker: 'default', description: 'emitted by PingSource every-second' } });

    expect((await junction.call('DELETE', '/apis/sources.knative.dev/v1/namespaces/pings/pingsources/every-second')).status).toBe(200);
    await junction.controllers.idle();
    expect((await eventTypes()).filter((item) => item.spec.type === 'dev.knative.sources.ping')).toHaveLength(0);
    await sleep(300);
    const after = subscriber.requests.length;
    await sleep(2_200);
    expect(subscriber.requests.length).toBe(after);
  });

  it('is not Ready while its sink broker does not exist, and starts once it does', async () => {
    junction = await startTestJunction();
    await junction.apply(pingSource('early', { schedule: '* * * * * *', data: 'tick' }));
    await eventually(async () => {
      const status = (await junction.call('GET', '/apis/sources.knative.dev/v1/namespaces/pings/pingsources/early')).json.status;
      expect(status?.conditions?.find((c: { type: string }) => c.type === 'SinkProvided')).toMatchObject({ status: 'False', reason: 'NotFound' });
      expect(status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status).toBe('False');
    });
    await junction.apply(broker);
    await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: { name: 'all', namespace: 'pings' }, spec: { broker: 'default', subscriber: { uri: subscriber.url } } });
    await junction.waitReady('pingsources', 'pings', 'early', 'sources.knative.dev/v1', 15_000);
    await subscriber.waitForRequests(1, 10_000);
    expect(received(subscriber.requests)[0].data).toBe('tick');
  });

  it('fires a tick missed while Junction was down once after restart, and never fires one tick twice', async () => {
    await setUp();
    const dataDir = junction.dataDir;
    await junction.apply(pingSource('every-3s', { schedule: '*/3 * * * * *', data: 'x', contentType: 'text/plain' }));
    await subscriber.waitForRequests(1, 10_000);
    const stoppedAt = Date.now();
    await junction.stop(true);
    // Two ticks pass while Junction is down.
    await sleep(6_500);
    await setUp(dataDir);
    const restartedAt = Date.now();
    await eventually(() => expect(received(subscriber.requests).some((e) => Date.parse(e.time!) > stoppedAt && Date.parse(e.time!) < restartedAt), JSON.stringify({ stoppedAt, restartedAt, got: received(subscriber.requests).map((e) => [e.time, e.id]) })).toBe(true), 12_000);
    await sleep(3_500);
    const events = received(subscriber.requests);
    const missed = events.filter((e) => Date.parse(e.time!) > stoppedAt && Date.parse(e.time!) < restartedAt);
    // Only the latest missed tick fires (Knative fires none), not every tick of the outage; every tick has one event.
    let ticksInOutage = 0;
    for (let t = Math.ceil(stoppedAt / 3000) * 3000; t < restartedAt; t += 3000) ticksInOutage++;
    expect(ticksInOutage).toBeGreaterThanOrEqual(2);
    expect(missed.length).toBeLessThan(ticksInOutage);
    expect(restartedAt - Math.max(...missed.map((e) => Date.parse(e.time!)))).toBeLessThan(3_000);
    const times = events.map((e) => e.time);
    expect(new Set(times).size).toBe(times.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});
