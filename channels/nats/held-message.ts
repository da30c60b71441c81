import type { ChannelMessage, ChannelRecord } from '../channel.js';

/** Where a message a consumer holds stands. */
export type HeldState = 'queued' | 'parked' | 'handed' | 'delayed';

/** A message this consumer received and has not acked or given back to the server yet. */
export interface HeldMessage {
  sequence: number;
  /** Its ack subject (ack, nak, in-progress). */
  reply: string;
  record: ChannelRecord;
  /** The server's delivery count (1 on the first delivery). */
  deliveryCount: number;
  /** Nacks of an ordered message handled here (its key stays blocked meanwhile). */
  localRetries: number;
  /** queued: ready to hand out; parked: waits for its key; handed: with the handler; delayed: nacked, handed out again at `dueAt`. */
  state: HeldState;
  /** The current hand-out, while handed. */
  delivery?: Delivery;
  timer?: NodeJS.Timeout;
  dueAt?: number;
  /** When the server last heard about it (delivery or in-progress ack). */
  progressAt: number;
}

/** One hand-out to the handler; settled by its first ack/nack (later calls are no-ops). */
export interface Delivery {
  held: HeldMessage;
  /** The consumer's generation at hand-out: a seek starts a new one, and older acks are dropped. */
  generation: number;
  settled: boolean;
}

/** The message the handler gets: the record, its redelivery count and the settle calls. */
export function toChannelMessage(held: HeldMessage, settle: (outcome: 'ack' | 'nack', delayMs?: number) => void): ChannelMessage {
  return {
    ...held.record,
    redeliveries: held.deliveryCount - 1 + held.localRetries,
    ack: () => settle('ack'),
    nack: (delayMs?: number) => settle('nack', delayMs),
  };
}
