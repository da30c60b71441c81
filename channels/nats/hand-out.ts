import { nackDelay, type ChannelMessage, type ConsumeOptions } from '../channel.js';
import { Fifo } from '../log/fifo.js';
import { toChannelMessage, type Delivery, type HeldMessage } from './held-message.js';
import { KeyOrder } from './key-order.js';

/** A handler that throws gets its message back after this delay. */
const HANDLER_ERROR_DELAY_MS = 1000;

/** What the hand-out tells the server through its consumer. */
export interface Settlements {
  ack(held: HeldMessage): void;
  /** Gives the message back to the group (JetStream redelivers it after `delayMs`). */
  nak(held: HeldMessage, delayMs: number): void;
  /** Room changed (a message was settled): the consumer may pull more. */
  changed(): void;
}

/**
 * The client side of a consumer: the messages it holds, handed to the handler at most
 * `maxInFlight` at a time, redeliveries first. With orderedByKey only the oldest held message of a
 * key is in flight; a nacked one is retried here after its delay (its key stays blocked), so no
 * later message of its key overtakes it. A seek starts a new generation: acks of older hand-outs
 * are dropped, as they belong to the replaced durable consumer.
 */
export class HandOut {
  private readonly held = new Map<number, HeldMessage>();
  private readonly priority = new Fifo<HeldMessage>();
  private readonly ready = new Fifo<HeldMessage>();
  private readonly keys = new KeyOrder<HeldMessage>();
  private generation = 0;
  private inFlight = 0;
  /** Handed out before a seek and not settled yet: still counted against maxInFlight. */
  private staleInFlight = 0;
  private pumpScheduled = false;
  private stopped = false;

  constructor(
    private readonly options: ConsumeOptions,
    private readonly handler: (message: ChannelMessage) => void,
    private readonly settlements: Settlements,
  ) {}

  /** Messages held (queued, waiting for their key, with the handler or delayed), counting those handed out before a seek. */
  get size(): number {
    return this.held.size + this.staleInFlight;
  }

  /** True when the message with this stream sequence is held here already. */
  holds(sequence: number): boolean {
    return this.held.has(sequence);
  }

  /** The messages held now (their in-progress acks keep the server from redelivering them). */
  messages(): IterableIterator<HeldMessage> {
    return this.held.values();
  }

  /** Takes a delivered message: handed out soon, or parked behind an earlier one of its key. */
  accept(held: HeldMessage): void {
    this.held.set(held.sequence, held);
    const key = this.options.orderedByKey ? held.record.key : undefined;
    if (key !== undefined && !this.keys.add(key, held)) held.state = 'parked';
    else if (held.deliveryCount > 1) this.priority.push(held);
    else this.ready.push(held);
    this.schedulePump();
  }

  /** Forgets everything held (the durable consumer was replaced); hand-outs in flight still count until settled. */
  restart(): void {
    this.generation += 1;
    for (const held of this.held.values()) {
      if (held.timer) clearTimeout(held.timer);
      if (held.state !== 'handed') continue;
      this.inFlight -= 1;
      this.staleInFlight += 1;
    }
    this.clear();
  }

  /** Stops handing out; returns what was held, each with the delay it still had to wait (ms). */
  stop(): { held: HeldMessage; delayMs: number }[] {
    this.stopped = true;
    const now = Date.now();
    const released = [...this.held.values()].map((held) => {
      if (held.timer) clearTimeout(held.timer);
      if (held.delivery) held.delivery.settled = true;
      return { held, delayMs: held.state === 'delayed' ? Math.max(0, (held.dueAt ?? now) - now) : 0 };
    });
    this.clear();
    return released;
  }

  private clear(): void {
    this.held.clear();
    this.priority.clear();
    this.ready.clear();
    this.keys.clear();
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.stopped && this.inFlight + this.staleInFlight < this.options.maxInFlight) {
      const held = this.priority.shift() ?? this.ready.shift();
      if (!held) return;
      // Skip what a seek dropped meanwhile.
      if (held.state === 'queued' && this.held.get(held.sequence) === held) this.deliver(held);
    }
  }

  private deliver(held: HeldMessage): void {
    const delivery: Delivery = { held, generation: this.generation, settled: false };
    held.state = 'handed';
    held.delivery = delivery;
    this.inFlight += 1;
    try {
      this.handler(toChannelMessage(held, (outcome, delayMs) => this.settle(delivery, outcome, delayMs)));
    } catch {
      this.settle(delivery, 'nack', HANDLER_ERROR_DELAY_MS);
    }
  }

  private settle(delivery: Delivery, outcome: 'ack' | 'nack', delayMs: number | undefined): void {
    if (delivery.settled) return;
    delivery.settled = true;
    if (delivery.generation !== this.generation) this.staleInFlight -= 1;
    else {
      this.inFlight -= 1;
      this.settleCurrent(delivery.held, outcome, nackDelay(delayMs));
    }
    this.schedulePump();
    this.settlements.changed();
  }

  private settleCurrent(held: HeldMessage, outcome: 'ack' | 'nack', delay: number): void {
    held.delivery = undefined;
    const key = this.options.orderedByKey ? held.record.key : undefined;
    if (outcome === 'nack' && key !== undefined) {
      held.state = 'delayed';
      held.localRetries += 1;
      held.dueAt = Date.now() + delay;
      held.timer = setTimeout(() => {
        held.timer = undefined;
        held.state = 'queued';
        this.priority.push(held);
        this.schedulePump();
      }, delay);
      return;
    }
    this.held.delete(held.sequence);
    if (key !== undefined) {
      const next = this.keys.release(key, held);
      if (next?.state === 'parked') {
        next.state = 'queued';
        this.priority.push(next);
      }
    }
    if (outcome === 'ack') this.settlements.ack(held);
    else this.settlements.nak(held, delay);
  }
}
