import type { Logger } from 'pino';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';
import type { ChannelMessage, ConsumeOptions, Consumer } from '../channel.js';
import type { RabbitConnection } from './connection.js';
import { subscriberCounts } from './group-lease.js';
import type { GroupRuntime } from './group-runtime.js';

/** How often a process holding slots checks whether it holds more than its share. */
const BALANCE_INTERVAL_MS = 2000;

/** The positions and lease queues of group `group` with `slots` slots: the group's own name when 1. */
export function slotNames(group: string, slots: number): string[] {
  return slots <= 1 ? [group] : Array.from({ length: slots }, (_, index) => `${group}#${index}`);
}

/** The slot of an event: FNV-1a of its `partitionkey` (else its id), so one key always has one slot. */
export function slotOf(event: CloudEvent, slots: number): number {
  const key = typeof event.partitionkey === 'string' ? event.partitionkey : event.id;
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % slots;
}

/**
 * A slotted group's backlog from its slots' backlogs: each counts every event after the slot's
 * position, its own and the other slots', so their mean (rounded up) stands for the group — exact
 * when the slots are level, 0 when all caught up.
 */
export function slottedBacklog(backlogs: number[]): number {
  return backlogs.length === 0 ? 0 : Math.ceil(backlogs.reduce((sum, backlog) => sum + backlog, 0) / backlogs.length);
}

/** What a slotted group needs from its channel. */
export interface SlottedContext {
  connection: RabbitConnection;
  /** The lease queue of a slot (by slot name). */
  queue(slot: string): string;
  /** Caps each consumer's in flight (Knative's parallelism annotation). */
  parallelism: number | undefined;
  logger: Logger | undefined;
  /** Creates the runtime of one slot, reading only the events `accept` takes. */
  runtime(slot: string, accept: (event: CloudEvent) => boolean): GroupRuntime;
}

/**
 * A consumer group split into slots so that several processes share it. Each slot is a group of
 * its own (GroupRuntime: lease, position, read window) that reads only its share of the events, by
 * `partitionkey` (else id), so a key stays in one slot and keeps its order. Every process consuming
 * the group subscribes to every slot's lease; RabbitMQ gives each slot to one of them. Every few
 * seconds a process that holds more than its share (slots ÷ subscribers, rounded up) hands the
 * extra slots to the next process in line. A local consumer's in-flight bound is divided among the
 * slots this process holds, so the process keeps to it whatever it holds.
 */
export class SlottedGroup {
  private readonly slots: GroupRuntime[];
  private readonly queues: string[];
  private consumers = 0;
  private timer: NodeJS.Timeout | undefined;
  private balancing = false;
  private stopped = false;

  constructor(
    readonly name: string,
    count: number,
    private readonly context: SlottedContext,
  ) {
    const names = slotNames(name, count);
    this.queues = names.map((slot) => context.queue(slot));
    this.slots = names.map((slot, index) => context.runtime(slot, (event) => slotOf(event, count) === index));
  }

  /** Slots this process reads now. */
  held(): number {
    return this.slots.filter((slot) => slot.holding).length;
  }

  addConsumer(options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
      throw createError('JUNCTION_BAD_REQUEST', `maxInFlight must be a positive integer (got ${String(options.maxInFlight)})`);
    }
    const cap = this.context.parallelism;
    const bound = cap === undefined ? options.maxInFlight : Math.min(options.maxInFlight, cap);
    // Read on every hand-out: the share of each slot follows how many this process holds.
    const shared: ConsumeOptions = { ...options };
    Object.defineProperty(shared, 'maxInFlight', { enumerable: true, get: () => Math.max(1, Math.ceil(bound / Math.max(1, this.held()))) });
    const inner = this.slots.map((slot) => slot.addConsumer(shared, handler));
    this.consumers += 1;
    if (this.consumers === 1) this.startBalancing();
    let closed = false;
    return {
      close: async () => {
        if (closed) return;
        closed = true;
        await Promise.all(inner.map((consumer) => consumer.close()));
        this.consumers -= 1;
        if (this.consumers === 0) this.stopBalancing();
      },
    };
  }

  /** Events not yet acked, estimated from the slots' backlogs (see slottedBacklog). */
  backlog(head: number): number {
    return slottedBacklog(this.slots.map((slot) => slot.backlog(head)));
  }

  async seekTo(position: number): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.seekTo(position)));
  }

  resume(): void {
    for (const slot of this.slots) slot.resume();
  }

  lost(): void {
    for (const slot of this.slots) slot.lost();
  }

  async stop(commit: boolean): Promise<void> {
    this.stopped = true;
    this.stopBalancing();
    await Promise.all(this.slots.map((slot) => slot.stop(commit)));
  }

  private startBalancing(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.balance(), BALANCE_INTERVAL_MS);
    this.timer.unref();
  }

  private stopBalancing(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Hands slots beyond this process's share to the processes waiting for them. */
  private async balance(): Promise<void> {
    if (this.balancing || this.stopped || this.consumers === 0 || !this.context.connection.isUp()) return;
    const holding = this.slots.filter((slot) => slot.holding);
    if (holding.length <= 1) return;
    this.balancing = true;
    try {
      // Every process consuming the group subscribes to every slot; one may be between leases.
      const processes = Math.max(1, ...(await subscriberCounts(this.context.connection, this.queues)));
      const share = Math.ceil(this.slots.length / processes);
      const extra = holding.slice(share);
      if (extra.length === 0) return;
      this.context.logger?.info({ group: this.name, processes, held: holding.length, share }, 'handing RabbitMQ group slots to other processes');
      for (const slot of extra) await slot.yieldLease();
    } catch (error) {
      this.context.logger?.warn({ group: this.name, err: (error as Error).message }, 'RabbitMQ group slots could not be balanced');
    } finally {
      this.balancing = false;
    }
  }
}
