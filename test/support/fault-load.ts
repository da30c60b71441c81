import type { Channel, ChannelMessage, Consumer } from '../../channels/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { sleep } from './eventually.js';

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
