import type { KafkaMessage } from 'kafkajs';
import { nackDelay, type ChannelMessage, type ChannelRecord, type ConsumeOptions, type Consumer } from '../channel.js';
import { Fifo } from '../log/fifo.js';
import { KeyGate } from '../log/key-gate.js';
import { HandOutPump, handOut } from '../log/hand-out-pump.js';
import { PartitionCursor, type Entry } from './partition-cursor.js';

/** One hand-out of an entry; settled by the first ack/nack (later calls are no-ops). */
interface Delivery {
  entry: Entry;
  consumer: LocalConsumer;
  generation: number;
  settled: boolean;
}

/** What the dispatcher tells its owner. */
export interface DispatchHooks {
  /** Acks moved a position or freed room: commit, maybe resume fetching. */
  changed(): void;
  /** The number of local consumers changed (the owner joins or leaves the Kafka group). */
  membership(count: number): Promise<void>;
}

/** One consumer of the group in this process. */
class LocalConsumer implements Consumer {
  readonly inFlight = new Set<Delivery>();
  closed = false;

  constructor(
    readonly options: ConsumeOptions,
    readonly handler: (message: ChannelMessage) => void,
    private readonly onClose: (consumer: LocalConsumer) => Promise<void>,
  ) {}

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return this.onClose(this);
  }
}

/**
 * Hands a group's fetched records to the group's consumers in this process: round-robin, bounded
 * in flight per consumer, optionally one in flight per key; nacked and abandoned records come
 * back first (after their delay). Tracks per partition the lowest unacked offset, which is what
 * gets committed: an ack of offset 7 before 5 does not move the position past 5.
 */
export class GroupDispatch {
  private cursorsByPartition = new Map<number, PartitionCursor>();
  private readonly priority = new Fifo<Entry>();
  private readonly ready = new Fifo<Entry>();
  private readonly keys = new KeyGate<Entry>();
  private consumers: LocalConsumer[] = [];
  private generation = 0;
  private ordered = false;
  private readonly pump = new HandOutPump<LocalConsumer, Entry>(
    () => this.consumers,
    () => this.priority.shift() ?? this.ready.shift(),
    (consumer, entry) => this.deliver(consumer, entry),
  );
  /** Entries fetched and not yet acked, over all partitions. */
  outstanding = 0;

  constructor(
    private readonly hooks: DispatchHooks,
    private readonly decode: (partition: number, message: KafkaMessage) => ChannelRecord | undefined,
  ) {}

  get consumerCount(): number {
    return this.consumers.length;
  }

  cursor(partition: number): PartitionCursor | undefined {
    return this.cursorsByPartition.get(partition);
  }

  cursors(): PartitionCursor[] {
    return [...this.cursorsByPartition.values()];
  }

  /** Adds a consumer; the first one after none decides whether the group is ordered by key. */
  addConsumer(options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer {
    const consumer = new LocalConsumer(options, handler, (closing) => this.removeConsumer(closing));
    if (this.consumers.length === 0 && (options.orderedByKey === true) !== this.ordered) {
      this.ordered = options.orderedByKey === true;
      this.requeueAll();
    }
    this.consumers.push(consumer);
    void this.hooks.membership(this.consumers.length);
    this.pump.schedule();
    return consumer;
  }

  /**
   * Replaces every cursor (a join with a new assignment, a seek): records fetched before are
   * forgotten and acks of messages handed out before are ignored.
   */
  reset(positions: Map<number, { next: number; committed: number }>): void {
    this.generation += 1;
    for (const cursor of this.cursorsByPartition.values()) {
      for (const entry of cursor.outstanding.values()) clearTimeout(entry.timer);
    }
    this.cursorsByPartition = new Map([...positions].map(([partition, { next, committed }]) => [partition, new PartitionCursor(partition, next, committed)]));
    this.outstanding = 0;
    this.priority.clear();
    this.ready.clear();
    this.keys.clear();
  }

  /** Takes in records fetched from `partition` (in offset order); the next fetch starts after `lastOffset`. */
  intake(partition: number, messages: KafkaMessage[], lastOffset: number): void {
    const cursor = this.cursorsByPartition.get(partition);
    if (!cursor) return;
    const before = cursor.position();
    for (const message of messages) {
      const kafkaOffset = Number(message.offset);
      if (kafkaOffset < cursor.next) continue;
      cursor.next = kafkaOffset + 1;
      const record = this.decode(partition, message);
      if (!record) continue;
      const entry: Entry = { record, cursor, kafkaOffset, deliveries: 0, gated: false };
      cursor.outstanding.set(kafkaOffset, entry);
      this.outstanding += 1;
      this.enqueue(entry);
    }
    cursor.next = Math.max(cursor.next, lastOffset + 1);
    if (cursor.position() !== before) this.hooks.changed();
    this.pump.schedule();
  }

  /** Closes every consumer and timer for good (channel close, group deletion); cursors stay. */
  stop(): void {
    for (const consumer of this.consumers) {
      consumer.closed = true;
      for (const delivery of consumer.inFlight) delivery.settled = true;
      consumer.inFlight.clear();
    }
    this.consumers = [];
    for (const cursor of this.cursorsByPartition.values()) {
      for (const entry of cursor.outstanding.values()) clearTimeout(entry.timer);
    }
  }

  private removeConsumer(consumer: LocalConsumer): Promise<void> {
    if (!this.consumers.includes(consumer)) return Promise.resolve();
    this.consumers = this.consumers.filter((other) => other !== consumer);
    for (const delivery of [...consumer.inFlight]) this.settle(delivery, 'nack', 0);
    return this.hooks.membership(this.consumers.length);
  }

  private enqueue(entry: Entry): void {
    const key = entry.record.key;
    if (this.ordered && key !== undefined) {
      entry.gated = true;
      if (!this.keys.enqueue(key, entry)) return;
    }
    this.ready.push(entry);
  }

  /** Rebuilds the queues from the outstanding entries (the ordering mode changed while no one consumed). */
  private requeueAll(): void {
    this.priority.clear();
    this.ready.clear();
    this.keys.clear();
    for (const cursor of this.cursorsByPartition.values()) {
      for (const entry of cursor.outstanding.values()) {
        clearTimeout(entry.timer);
        entry.timer = undefined;
        entry.gated = false;
        this.enqueue(entry);
      }
    }
  }

  private settle(delivery: Delivery, outcome: 'ack' | 'nack', delayMs: number | undefined): void {
    if (delivery.settled) return;
    delivery.settled = true;
    delivery.consumer.inFlight.delete(delivery);
    if (delivery.generation === this.generation) {
      if (outcome === 'ack') this.complete(delivery.entry);
      else this.retryLater(delivery.entry, delayMs);
    }
    this.pump.schedule();
  }

  private complete(entry: Entry): void {
    entry.cursor.outstanding.delete(entry.kafkaOffset);
    this.outstanding -= 1;
    if (entry.gated && entry.record.key !== undefined) {
      const unblocked = this.keys.release(entry.record.key);
      if (unblocked) this.priority.push(unblocked);
    }
    this.hooks.changed();
  }

  private retryLater(entry: Entry, delayMs: number | undefined): void {
    const delay = nackDelay(delayMs);
    if (delay === 0) {
      this.priority.push(entry);
      return;
    }
    const generation = this.generation;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (generation !== this.generation) return;
      this.priority.push(entry);
      this.pump.schedule();
    }, delay);
    entry.timer.unref();
  }

  private deliver(consumer: LocalConsumer, entry: Entry): void {
    handOut<Delivery>({ entry, consumer, generation: this.generation, settled: false }, (delivery, outcome, delayMs) => this.settle(delivery, outcome, delayMs));
  }
}
