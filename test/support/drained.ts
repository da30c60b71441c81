import { expect } from 'vitest';
import type { Channel } from '../../channels/index.js';
import { eventually } from './eventually.js';
import type { HttpSubscriber } from './http-subscriber.js';
import { structuredEvent, type TestJunction } from './junction.js';

// Waits that prove what could still arrive has had its chance, so that a test can then assert that
// nothing more did (instead of sleeping a while and hoping the machine was fast enough).

/**
 * Waits until each of `channels` reports that consumer group `group` has nothing unacknowledged:
 * its position is at the end of the log, so no event of it is still due to anyone.
 */
export async function waitForGroupDrained(group: string, channels: Channel[], timeoutMs = 15_000): Promise<void> {
  await eventually(async () => {
    for (const channel of channels) expect(await channel.backlog(group), `backlog of group ${group} on ${channel.name}`).toBe(0);
  }, timeoutMs);
}

/**
 * Waits until Trigger `namespace/name` has nothing left to deliver: its backlog (what /metrics
 * shows as junction_trigger_backlog, refreshed there only periodically) read from its worker now is
 * 0. On a log engine that counts the events its filter passed, queued or in flight; on an engine
 * with consumer groups every event, the filter's rejects included (they are acked at once).
 */
export async function waitForTriggerDrained(junction: TestJunction, namespace: string, name: string, timeoutMs = 15_000): Promise<void> {
  const trigger = junction.resources.get(junction.resources.kinds.forDocument('eventing.knative.dev/v1', 'Trigger'), namespace, name);
  const broker = (trigger.spec as { broker: string }).broker;
  await eventually(async () => {
    const worker = junction.plane.get(namespace, broker)?.dispatcher?.worker(trigger.metadata.uid ?? '');
    expect(worker, `trigger ${namespace}/${name} is dispatched`).toBeDefined();
    expect(await worker?.backlog(), `backlog of trigger ${namespace}/${name}`).toBe(0);
  }, timeoutMs);
}

/**
 * Posts a sentinel event (structured mode, `overrides` on top) to Broker `namespace/broker`, waits
 * until each of `subscribers` got it and then until each of `triggers` drained: a broker routes and
 * hands out its events in log order, so everything sent before the sentinel has been filtered,
 * and delivered where it matched. Returns the sentinel's id.
 */
export async function sendSentinel(
  junction: TestJunction,
  target: { namespace?: string; broker?: string; subscribers: HttpSubscriber[]; triggers: string[] },
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const namespace = target.namespace ?? 'default';
  const id = `sentinel-${Math.random().toString(36).slice(2)}`;
  const answer = await junction.post(`/${namespace}/${target.broker ?? 'default'}`, structuredEvent({ ...overrides, id }), { 'content-type': 'application/cloudevents+json' });
  expect(answer.status, 'the sentinel event is accepted').toBe(202);
  await eventually(() => {
    for (const subscriber of target.subscribers) expect(subscriber.requests.map((request) => request.headers['ce-id'])).toContain(id);
  });
  for (const trigger of target.triggers) await waitForTriggerDrained(junction, namespace, trigger);
  return id;
}
