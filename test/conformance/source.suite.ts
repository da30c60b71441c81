import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { eventually, sleep } from '../support/eventually.js';
import { startHttpSubscriber, type RecordedRequest } from '../support/http-subscriber.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';
import { trustInProcess } from '../support/sns-cert-server.js';
import { fixtureResources, sdkEvents } from './webhook.suite.js';
import type { FixtureServices, WebhookFixture } from './webhooks/fixture.js';

const NAMESPACE = 'source-suite';

/** A long-running source kind (it emits by itself: a schedule, a process, a watch) as the suite drives it. */
export interface AdapterFixture {
  kind: string;
  apiVersion: string;
  plural: string;
  /** The kind's own spec fields (the suite sets sink and ceOverrides); it must emit at least once a second. */
  spec: Record<string, unknown>;
  /** Makes the source emit, when it does not by itself (e.g. change a watched object). */
  provoke?(junction: TestJunction, name: string): Promise<void>;
  /** The documented attributes of what a source named `name` emits. */
  expected(name: string): { type: string; source: string };
}

/** A subscriber that refuses (503) while `down` is true and accepts otherwise; `accepted` holds what it took. */
async function switchableSubscriber() {
  const state = { down: false, accepted: [] as RecordedRequest[] };
  const server = await startHttpSubscriber((request) => {
    if (state.down) return { status: 503 };
    state.accepted.push(request);
    return { status: 202 };
  });
  return { server, state };
}

/**
 * The contract of every source kind, beyond what the webhook suite checks per provider: events are
 * valid CloudEvents (read by the `cloudevents` SDK) with the documented type and source and the
 * overrides; a sink that refuses is retried with backoff and loses nothing — a long-running source
 * delivers what it emitted during the outage once the sink is back, and a push source's provider
 * gets no 2xx until the sink accepted (its retry then yields exactly one event); a missing sink shows
 * in status; deleting a source stops it.
 */
export function sourceConformance(adapters: AdapterFixture[], pushKinds: WebhookFixture[]): void {
  describe('every source kind: valid events, no loss through a sink outage, clean stop', () => {
    let junction: TestJunction;
    let sink: Awaited<ReturnType<typeof switchableSubscriber>>;
    beforeAll(async () => {
      sink = await switchableSubscriber();
      junction = await startTestJunction();
    });
    afterAll(async () => {
      await junction?.stop();
      await sink?.server.close();
    });
    const source = (fixture: AdapterFixture, name: string, sinkSpec: Record<string, unknown>): Resource => ({
      apiVersion: fixture.apiVersion,
      kind: fixture.kind,
      metadata: { name, namespace: NAMESPACE },
      spec: { ...fixture.spec, ceOverrides: { extensions: { suite: 'sources' } }, sink: sinkSpec },
    });
    const readyCondition = async (fixture: AdapterFixture, name: string) =>
      ((await junction.call('GET', `/apis/${fixture.apiVersion}/namespaces/${NAMESPACE}/${fixture.plural}/${name}`)).json?.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');

    for (const fixture of adapters) {
      describe(fixture.kind, () => {
        it('emits valid CloudEvents with the documented type and source and the overrides, keeps what it emitted while the sink refused, and stops when deleted', async () => {
          const name = `${fixture.kind.toLowerCase()}-outage`;
          const expected = fixture.expected(name);
          const ours = () => sdkEvents(sink.state.accepted).filter((event) => event.source === expected.source);
          await junction.apply(source(fixture, name, { uri: sink.server.url }));
          await junction.waitReady(fixture.plural, NAMESPACE, name, fixture.apiVersion);
          await fixture.provoke?.(junction, name);
          await eventually(() => expect(ours().length).toBeGreaterThan(0), 10_000);
          for (const event of ours()) expect(event).toMatchObject({ ...expected, suite: 'sources' });

          // The sink refuses for 2 s: what the source emits meanwhile is retried, not dropped.
          sink.state.down = true;
          const refusedBefore = sink.server.requests.length;
          await fixture.provoke?.(junction, name);
          await sleep(2_000);
          const emittedDuringOutage = sink.server.requests.slice(refusedBefore).map((request) => String(request.headers['ce-id']));
          expect(emittedDuringOutage.length).toBeGreaterThan(0);
          sink.state.down = false;
          await eventually(() => expect(ours().map((event) => event.id)).toEqual(expect.arrayContaining([...new Set(emittedDuringOutage)])), 20_000);

          expect((await junction.call('DELETE', `/apis/${fixture.apiVersion}/namespaces/${NAMESPACE}/${fixture.plural}/${name}`)).status).toBe(200);
          await junction.controllers.idle();
          await sleep(500);
          const stoppedAt = ours().length;
          await fixture.provoke?.(junction, name).catch(() => undefined);
          await sleep(1_500);
          expect(ours().length).toBe(stoppedAt);
        }, 60_000);

        it('reports a sink broker that does not exist as SinkProvided=False, and emits nothing', async () => {
          const name = `${fixture.kind.toLowerCase()}-nosink`;
          await junction.apply(source(fixture, name, { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'missing' } }));
          await eventually(async () => expect(await readyCondition(fixture, name)).toMatchObject({ status: 'False', reason: 'NotFound', message: expect.stringContaining('missing') }));
          await junction.call('DELETE', `/apis/${fixture.apiVersion}/namespaces/${NAMESPACE}/${fixture.plural}/${name}`);
        });
      });
    }

    it('push kinds: while the sink refuses the provider gets no 2xx (503), and its retry after the outage yields exactly one event', async () => {
      const services: FixtureServices[] = [];
      const restores: Array<() => void> = [];
      try {
        const prepared = await Promise.all(
          pushKinds.map(async (fixture) => {
            const started = await fixture.start?.();
            if (started) services.push(started);
            if (started?.ca) restores.push(trustInProcess(started.ca.pem));
            const name = `${fixture.kind.toLowerCase()}-outage`;
            const resources = fixtureResources(fixture, name, NAMESPACE);
            const last = resources.at(-1)!;
            (last.spec as Record<string, unknown>).sink = { uri: sink.server.url };
            for (const resource of resources) await junction.apply(resource);
            const ready = await junction.waitReady(`${fixture.kind.toLowerCase()}s`, NAMESPACE, name, fixture.apiVersion);
            return { fixture, url: String(ready.status?.url), path: new URL(String(ready.status?.url)).pathname, delivery: randomUUID() };
          }),
        );
        sink.state.down = true;
        const now = Math.floor(Date.now() / 1000);
        // Every kind at once: each send waits out the sink's retries (about 6 s) before it is refused.
        const refused = await Promise.all(prepared.map(async ({ fixture, url, path, delivery }) => {
          const signed = await fixture.request({ url, delivery, nowSeconds: now });
          return junction.post(path, signed.body, signed.headers);
        }));
        refused.forEach((answer, index) => {
          expect(answer.status, `${prepared[index]!.fixture.kind}: ${answer.text}`).toBe(503);
          expect(answer.json.code).toBe('JUNCTION_SINK_UNAVAILABLE');
        });
        sink.state.down = false;
        for (const { fixture, url, path, delivery } of prepared) {
          const signed = await fixture.request({ url, delivery, nowSeconds: Math.floor(Date.now() / 1000) });
          const retried = await junction.post(path, signed.body, signed.headers);
          expect(retried.status, `${fixture.kind}: ${retried.text}`).toBe(200);
          const again = await junction.post(path, signed.body, signed.headers);
          expect(again.status).toBe(200);
          const id = fixture.expected(delivery).id;
          expect(sdkEvents(sink.state.accepted).filter((event) => event.id === id), fixture.kind).toHaveLength(1);
        }
      } finally {
        for (const restore of restores.reverse()) restore();
        await Promise.all(services.map((started) => started.close()));
      }
    }, 90_000);
  });
}
