import type { ChannelMessage, ChannelRecord } from '../channel.js';

/** A consumer a pump hands entries to: what it holds now and how much it may hold. */
export interface PumpConsumer {
  readonly inFlight: { readonly size: number };
  readonly options: { readonly maxInFlight: number };
}

/** Entries handed out per turn before I/O gets to run. */
const PUMP_BUDGET = 1024;

/**
 * Hands a group's entries round-robin to the consumers that have room, at most 1024 per
 * event-loop turn (then I/O runs first). Shared by the log engines' groups and Kafka's local
 * dispatch; `take` yields the next entry, `deliver` gives it to a consumer.
 */
export class HandOutPump<C extends PumpConsumer, E> {
  private turn = 0;
  private scheduled = false;

  constructor(
    private readonly consumers: () => readonly C[],
    private readonly take: () => E | undefined,
    private readonly deliver: (consumer: C, entry: E) => void,
  ) {}

  /** Hands out what can be handed out, soon (coalesces calls within one turn). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    for (let budget = PUMP_BUDGET; budget > 0; budget -= 1) {
      const consumer = this.pick();
      if (!consumer) return;
      const entry = this.take();
      if (entry === undefined) return;
      this.deliver(consumer, entry);
    }
    // More to hand out: let I/O run first.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** The next consumer (round-robin) with room for one more entry. */
  private pick(): C | undefined {
    const consumers = this.consumers();
    const count = consumers.length;
    for (let index = 0; index < count; index += 1) {
      const consumer = consumers[(this.turn + index) % count];
      if (consumer && consumer.inFlight.size < consumer.options.maxInFlight) {
        this.turn = (this.turn + index + 1) % count;
        return consumer;
      }
    }
    return undefined;
  }
}

/** Delay before a message whose handler threw is handed out again. */
const HANDLER_ERROR_DELAY_MS = 1000;

/** One hand-out of an entry to a consumer; settled by the first ack/nack (later calls are no-ops). */
export interface HandOutDelivery {
  entry: { record: ChannelRecord; deliveries: number };
  consumer: { readonly inFlight: { add(delivery: HandOutDelivery): unknown }; readonly handler: (message: ChannelMessage) => void };
  /** The group's generation at hand-out; a seek starts a new one. */
  generation: number;
  settled: boolean;
}

/**
 * Gives a delivery's entry to its consumer as a ChannelMessage whose ack/nack settle the delivery
 * (redeliveries = times handed out before); a handler that throws counts as a nack after a second.
 */
export function handOut<D extends HandOutDelivery>(delivery: D, settle: (delivery: D, outcome: 'ack' | 'nack', delayMs: number | undefined) => void): void {
  delivery.consumer.inFlight.add(delivery);
  const redeliveries = delivery.entry.deliveries;
  delivery.entry.deliveries += 1;
  const message: ChannelMessage = {
    ...delivery.entry.record,
    redeliveries,
    ack: () => settle(delivery, 'ack', 0),
    nack: (delayMs?: number) => settle(delivery, 'nack', delayMs),
  };
  try {
    delivery.consumer.handler(message);
  } catch {
    settle(delivery, 'nack', HANDLER_ERROR_DELAY_MS);
  }
}
