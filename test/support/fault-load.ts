import { expect } from 'vitest';
import type { Channel, ChannelMessage, Consumer } from '../../channels/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { eventually, sleep } from './eventually.js';

/** Traffic through a channel while a fault test breaks its server: what was acknowledged, refused, received. */
export interface FaultLoad {
  /** Indexes of events whose append resolved (they must all arrive). */
  acknowledged: Set<number>;
  /** Indexes the consumer got (at least once). */
  received: Set<number>;
  /** Errors of refused appends. */
  failures: unknown[];
  consumer: Consumer;
  /** Stops producing and waits for the producer loop to end. */
  stopProducing(): Promise<void>;
}

/**
 * A consumer of group `dispatcher` (ordered by key, acks on the next turn) and one producer that
 * appends batches of 5 the whole time, like an ingress under load; `paceMs` pauses between batches
 * (a server that keeps only so much must not outrun the consumer).
 */
export function startFaultLoad(channel: Channel, makeEvent: (index: number) => CloudEvent, paceMs = 0): FaultLoad {
  const received = new Set<number>();
  const consumer = channel.consume('dispatcher', { maxInFlight: 16, orderedByKey: true }, (message: ChannelMessage) => {
    received.add((message.event.data as { index: number }).index);
    setImmediate(() => message.ack());
  });
  const acknowledged = new Set<number>();
  const failures: unknown[] = [];
  let next = 0;
  let producing = true;
  const producer = (async () => {
    while (producing) {
      if (paceMs > 0) await sleep(paceMs);
      const batch = Array.from({ length: 5 }, () => makeEvent(next++));
      try {
        const records = await channel.append(batch);
        for (const record of records) acknowledged.add((record.event.data as { index: number }).index);
      } catch (error) {
        failures.push(error);
        await sleep(50);
      }
    }
  })();
  return {
    acknowledged,
    received,
    failures,
    consumer,
    async stopProducing() {
      producing = false;
      await producer;
    },
  };
}

/** A consumer of group `late` started while the server is down, and how many appends were acknowledged by then. */
export interface LateConsumer {
  /** Indexes the late group got. */
  received: Set<number>;
  consumer: Consumer;
  acknowledgedBefore: number;
}

/** Starts a consumer of group `late` (acks at once) during the outage; it must set its group up once the server is back. */
export function startLateConsumer(channel: Channel, load: FaultLoad): LateConsumer {
  const acknowledgedBefore = load.acknowledged.size;
  const received = new Set<number>();
  const consumer = channel.consume('late', { maxInFlight: 8 }, (message: ChannelMessage) => {
    received.add((message.event.data as { index: number }).index);
    message.ack();
  });
  return { received, consumer, acknowledgedBefore };
}

/**
 * Once the server is back, with nobody calling anything: appends succeed again (300 more) and the
 * late group gets events; after producing stops, the `dispatcher` group got every acknowledged
 * event, the late group every one from where it started, both backlogs drain, and every refused
 * append failed with JUNCTION_STORAGE_UNAVAILABLE. Each wait gives up after `timeoutMs`.
 */
export async function expectRecovery(channel: Channel, load: FaultLoad, late: LateConsumer, timeoutMs: number): Promise<void> {
  const waitUntil = (check: () => unknown | Promise<unknown>): Promise<void> => eventually(check, timeoutMs, 20);
  const { acknowledged, received, failures } = load;
  await waitUntil(() => acknowledged.size >= late.acknowledgedBefore + 300 && late.received.size > 0);
  await load.stopProducing();
  await waitUntil(() => expect([...acknowledged].filter((index) => !received.has(index))).toEqual([]));
  await waitUntil(async () => expect(await channel.backlog('dispatcher')).toBe(0));
  // The late group starts where the stream was when it could join, and misses nothing after that
  // (it reads at its own pace: it may still be catching up when the dispatcher group is done).
  const lateStart = Math.min(...late.received);
  await waitUntil(() => expect([...acknowledged].filter((index) => index >= lateStart && !late.received.has(index))).toEqual([]));
  await waitUntil(async () => expect(await channel.backlog('late')).toBe(0));
  // Appends caught by the outage (there may be none: a retry can outlast it) failed the same way.
  for (const failure of failures) expect(failure).toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE' });
}
