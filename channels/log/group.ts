import { nackDelay, type ChannelMessage, type ConsumeOptions, type Consumer, type LogAccess } from '../channel.js';
import { Fifo } from './fifo.js';
import { KeyGate } from './key-gate.js';
import { HandOutPump, handOut } from './hand-out-pump.js';
import { GroupConsumer, type Delivery, type Entry } from './group-consumer.js';

/** Records read ahead per log read. */
const FETCH_BATCH = 256;
/** Most fetched-but-unacked records a group holds (bounds the look-ahead past blocked keys). */
const MAX_OUTSTANDING = 8192;
/** Messages handed out before the pump yields to the event loop. */
/** A handler that throws gets its message back after this delay. */

/** What a group needs from its owner: the log, and batched persistence of its position. */
export interface GroupHost {
  /** The part of the log a group reads (engines without LogAccess, e.g. rabbitmq, supply a window). */
  readonly log: Pick<LogAccess, 'head' | 'tail' | 'read' | 'onAppend'>;
  /** The group's position changed: persist it soon. */
  markDirty(): void;
  /** Persist every changed position now. */
  flush(): void;
}

/**
 * A consumer group over a log: hands records round-robin to its consumers (bounded in flight,
 * optionally one in flight per key), redelivers nacked and abandoned ones, and tracks the
 * committed position = the lowest offset not yet acked.
 */
export class Group {
  private next: number;
  /** Fetched, not yet acked, in offset order (Map keeps insertion order, so the first key is the lowest). */
  private readonly outstanding = new Map<number, Entry>();
  /** Redeliveries and records unblocked by their key: handed out before fresh ones. */
  private readonly priority = new Fifo<Entry>();
  private readonly ready = new Fifo<Entry>();
  private readonly keys = new KeyGate<Entry>();
  private consumers: GroupConsumer[] = [];
  private generation = 0;
  private ordered = false;
  private readonly pump = new HandOutPump<GroupConsumer, Entry>(
    () => this.consumers,
    () => this.take(),
    (consumer, entry) => this.deliver(consumer, entry),
  );
  private unsubscribe: (() => void) | undefined;
  /** Hands nothing out (a handover is draining what is in flight) until the next seek. */
  private holding = false;

  constructor(
    readonly name: string,
    private readonly host: GroupHost,
    start: number,
    private saved: number | undefined,
  ) {
    this.next = start;
  }

  /** The committed position: the lowest offset not yet acked. */
  position(): number {
    for (const offset of this.outstanding.keys()) return offset;
    return Math.max(this.next, this.host.log.tail());
  }

  /** The position to persist, or undefined when unchanged since the last save. */
  unsavedPosition(): number | undefined {
    const position = this.position();
    return position === this.saved ? undefined : position;
  }

  /** Records that `position` is now stored. */
  markSaved(position: number): void {
    this.saved = position;
  }

  /** Adds a consumer; the first one of a session decides whether the group is ordered by key. */
  addConsumer(options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer {
    if (this.consumers.length === 0) {
      const ordered = options.orderedByKey === true;
      // The look-ahead was built for the other mode: rebuild it from the committed position.
      if (ordered !== this.ordered) this.rewind(this.position());
      this.ordered = ordered;
      this.unsubscribe = this.host.log.onAppend(() => this.pump.schedule());
    }
    const consumer = new GroupConsumer(options, handler, (closing) => this.removeConsumer(closing));
    this.consumers.push(consumer);
    this.pump.schedule();
    return consumer;
  }

  /** Stops a consumer; its unacked messages go back to the group for redelivery. */
  removeConsumer(consumer: GroupConsumer): void {
    if (!this.consumers.includes(consumer)) return;
    consumer.closed = true;
    this.consumers = this.consumers.filter((other) => other !== consumer);
    for (const delivery of [...consumer.inFlight]) this.settle(delivery, 'nack', 0);
    if (this.consumers.length === 0) {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
    }
    this.host.flush();
  }

  /** Restarts the group at `offset`; messages in flight are not recalled (their acks no longer move the position). */
  seek(offset: number): void {
    this.rewind(offset);
    this.pump.schedule();
  }

  /**
   * Stops handing messages out and resolves once every one in flight is settled, or after
   * `timeoutMs` (a handover to another process: what was acked by then is not delivered twice).
   * The next seek hands out again.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.holding = true;
    const deadline = Date.now() + timeoutMs;
    while (this.consumers.some((consumer) => consumer.inFlight.size > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops every consumer and timer for good (channel close, group deletion); the position stays as it is. */
  stop(): void {
    for (const consumer of [...this.consumers]) this.removeConsumer(consumer);
    for (const entry of this.outstanding.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = undefined;
    }
  }

  private rewind(offset: number): void {
    this.generation += 1;
    this.holding = false;
    for (const entry of this.outstanding.values()) if (entry.timer) clearTimeout(entry.timer);
    this.outstanding.clear();
    this.priority.clear();
    this.ready.clear();
    this.keys.clear();
    this.next = offset;
    this.host.markDirty();
  }

  private settle(delivery: Delivery, outcome: 'ack' | 'nack', delayMs: number | undefined): void {
    if (delivery.settled) return;
    delivery.settled = true;
    delivery.consumer.inFlight.delete(delivery);
    if (delivery.generation === this.generation) {
      const entry = delivery.entry;
      if (outcome === 'ack') this.complete(entry);
      else this.retryLater(entry, delayMs);
    }
    this.pump.schedule();
  }

  private complete(entry: Entry): void {
    this.outstanding.delete(entry.record.offset);
    if (entry.gated && entry.record.key !== undefined) {
      const unblocked = this.keys.release(entry.record.key);
      if (unblocked) this.priority.push(unblocked);
    }
    this.host.markDirty();
  }

  private retryLater(entry: Entry, delayMs: number | undefined): void {
    const delay = nackDelay(delayMs);
    if (delay === 0) {
      this.priority.push(entry);
      return;
    }
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.priority.push(entry);
      this.pump.schedule();
    }, delay);
    entry.timer.unref();
  }

  private take(): Entry | undefined {
    if (this.holding) return undefined;
    for (;;) {
      const entry = this.priority.shift() ?? this.ready.shift();
      if (entry) return entry;
      if (!this.fetch()) return undefined;
    }
  }

  /** Reads the next records of the log into the group; false when there is nothing (or no room) to read. */
  private fetch(): boolean {
    const room = MAX_OUTSTANDING - this.outstanding.size;
    if (room <= 0) return false;
    const log = this.host.log;
    this.next = Math.max(this.next, log.tail());
    const available = log.head() - this.next;
    if (available <= 0) return false;
    const records = log.read(this.next, Math.min(FETCH_BATCH, available, room));
    if (records.length === 0) return false;
    for (const record of records) {
      const entry: Entry = { record, deliveries: 0, gated: false };
      this.outstanding.set(record.offset, entry);
      this.next = record.offset + 1;
      if (this.ordered && record.key !== undefined) {
        entry.gated = true;
        if (!this.keys.enqueue(record.key, entry)) continue;
      }
      this.ready.push(entry);
    }
    return true;
  }

  private deliver(consumer: GroupConsumer, entry: Entry): void {
    handOut<Delivery>({ entry, consumer, generation: this.generation, settled: false }, (delivery, outcome, delayMs) => this.settle(delivery, outcome, delayMs));
  }
}
