import type { Logger } from 'pino';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';
import type { ChannelMessage, ConsumeOptions, Consumer } from '../channel.js';
import { Group, type GroupHost } from '../log/group.js';
import type { RabbitConnection } from './connection.js';
import { GroupCommitter } from './group-committer.js';
import { GroupLease } from './group-lease.js';
import type { LogTailer } from './log-tailer.js';
import type { PositionStore } from './position-store.js';
import { StreamWindow } from './stream-window.js';

/** Records read ahead of the group (the stream consumer's prefetch). */
const READ_AHEAD = 512;
/** Wait before subscribing again after a failed attempt while the connection is up. */
const RETRY_MS = 1000;
/** Longest a handover waits for the messages in flight to be settled. */
const HANDOVER_DRAIN_MS = 5000;

/** What a group needs from its channel. */
export interface GroupContext {
  connection: RabbitConnection;
  logStream: string;
  groupQueue: string;
  queueType: 'classic' | 'quorum';
  parallelism: number | undefined;
  positions: PositionStore;
  tailer: LogTailer;
  commitIntervalMs: number;
  logger: Logger | undefined;
  /** The events this group reads (one slot of a slotted group); all when absent. */
  accept?: (event: CloudEvent) => boolean;
}

/**
 * One consumer group of a channel in this process: the shared in-process `Group` (round-robin, in
 * flight bound, key order, nack timers, contiguous position) fed by a stream window, active only
 * while this process holds the group's lease; its position is committed to the positions stream.
 */
export class GroupRuntime implements GroupHost {
  readonly log: StreamWindow;
  private readonly group: Group;
  private readonly committer: GroupCommitter;
  /** Where a group nobody has a position for starts: the head when it was first consumed here. */
  private readonly createdAt: number;
  private consumers = 0;
  private lease: GroupLease | undefined;
  private active = false;
  /** Whether this process has read the group before. */
  private activated = false;
  private activation = 0;
  private transition: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private unwatch: (() => void) | undefined;
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly context: GroupContext,
  ) {
    this.createdAt = context.tailer.head();
    const start = context.positions.get(name) ?? this.createdAt;
    this.log = new StreamWindow(context.connection, context.logStream, READ_AHEAD, context.tailer, () => this.lost(), context.accept);
    this.log.stop(start);
    this.group = new Group(name, this, start, start);
    this.committer = new GroupCommitter(name, context.positions, () => this.group.position(), context.commitIntervalMs, context.logger);
  }

  /** Adds a local consumer; the first one subscribes to the group's lease. */
  addConsumer(options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
      throw createError('JUNCTION_BAD_REQUEST', `maxInFlight must be a positive integer (got ${String(options.maxInFlight)})`);
    }
    const cap = this.context.parallelism;
    const inner = this.group.addConsumer(cap === undefined ? options : { ...options, maxInFlight: Math.min(options.maxInFlight, cap) }, handler);
    this.consumers += 1;
    if (this.consumers === 1) void this.enqueue(() => this.subscribe());
    let closed = false;
    return {
      close: async () => {
        if (closed) return;
        closed = true;
        await inner.close();
        this.consumers -= 1;
        if (this.consumers === 0) await this.enqueue(() => this.unsubscribe());
      },
    };
  }

  /** True while this process holds the group's lease and reads it. */
  get holding(): boolean {
    return this.active;
  }

  /**
   * Hands the group to the next process waiting for it: stops handing messages out, waits (up to 5 s)
   * for those in flight, commits what was acked, gives the lease up and subscribes again, at the back
   * of the line (used to spread a slotted group's slots). Messages still in flight after the wait
   * are delivered again by the next holder.
   */
  yieldLease(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.active || this.stopped) return;
      await this.group.drain(HANDOVER_DRAIN_MS);
      if (!this.active || this.stopped) return;
      await this.committer.now();
      await this.leave();
      await this.subscribe();
    });
  }

  /** Events not yet acked by the group: exact while it is read here, else from its stored position. */
  backlog(head: number): number {
    const position = this.active ? this.group.position() : (this.context.positions.get(this.name) ?? this.createdAt);
    return Math.max(0, head - position);
  }

  /** Moves the group to `position` (stored durably; re-read at once when active here). */
  seekTo(position: number): Promise<void> {
    return this.enqueue(async () => {
      if (this.active) this.move(position);
      await this.context.positions.write('seek', this.name, position);
    });
  }

  /** The connection is back: subscribe again if local consumers are waiting. */
  resume(): void {
    if (this.consumers > 0 && !this.lease && !this.stopped) void this.enqueue(() => this.subscribe());
  }

  /** The read position stops here (connection lost, lease lost, stream consumer gone). */
  lost(): void {
    if (!this.lease && !this.active) return;
    void this.lease?.release();
    this.lease = undefined;
    this.deactivate();
    if (this.consumers > 0 && !this.stopped && this.context.connection.isUp()) this.retryLater();
  }

  /** Stops for good (channel close or group deletion): commits what was acked, leaves the group. */
  async stop(commit: boolean): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.enqueue(async () => {
      if (commit && this.active) await this.committer.now();
      await this.leave();
      this.group.stop();
    });
  }

  markDirty(): void {
    this.committer.soon();
  }

  flush(): void {
    void this.committer.now();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.transition.then(step, step);
    this.transition = next.catch((error: unknown) => {
      this.context.logger?.warn({ group: this.name, err: (error as Error).message }, 'RabbitMQ consumer group step failed');
      if (this.consumers > 0 && !this.stopped && !this.lease && this.context.connection.isUp()) this.retryLater();
    });
    return next;
  }

  private async subscribe(): Promise<void> {
    if (this.consumers === 0 || this.lease || this.stopped || !this.context.connection.isUp()) return;
    const lease = new GroupLease(this.context.connection, this.context.groupQueue, this.context.queueType, () => void this.enqueue(() => this.activate(lease)), () => this.lost());
    this.lease = lease;
    try {
      await lease.acquire();
    } catch (error) {
      if (this.lease === lease) this.lease = undefined;
      throw error;
    }
  }

  private async activate(lease: GroupLease): Promise<void> {
    if (this.lease !== lease || this.consumers === 0 || this.stopped) return;
    const activation = ++this.activation;
    try {
      const position = await this.storedPosition(!this.activated);
      if (activation !== this.activation || this.lease !== lease) return;
      this.active = true;
      this.activated = true;
      this.committer.enable(position);
      this.unwatch = this.context.positions.watch(this.name, (moved) => void this.enqueue(() => this.followSeek(moved)));
      this.group.seek(position);
      await this.log.reset(position);
    } catch (error) {
      // Holding the lease without reading would stall the group everywhere: give it up, try again later.
      if (activation === this.activation) this.lost();
      throw error;
    }
  }

  /**
   * The group's committed position, read after everything committed before now. A group nobody has
   * a position for starts at `createdAt` the first time, at the head when it was deleted meanwhile.
   */
  private async storedPosition(first: boolean): Promise<number> {
    const positions = this.context.positions;
    // Everything the previous holder committed before giving the lease up is read after this.
    await positions.sync();
    const stored = positions.get(this.name);
    if (stored !== undefined) return stored;
    const start = first ? this.createdAt : this.context.tailer.head();
    await positions.write('create', this.name, start);
    return start;
  }

  /** Another process sought the group: re-read from there if it is still read here. */
  private async followSeek(position: number): Promise<void> {
    if (this.active) this.move(position);
  }

  /** Re-reads from `position` (a seek); messages in flight are not recalled, their acks no longer count. */
  private move(position: number): void {
    this.committer.markStored(position);
    this.group.seek(position);
    this.log.reset(position).catch(() => this.lost());
  }

  private async unsubscribe(): Promise<void> {
    if (this.consumers > 0) return;
    if (this.active) await this.committer.now();
    await this.leave();
  }

  private async leave(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    this.deactivate();
    await lease?.release();
  }

  private deactivate(): void {
    this.activation += 1;
    this.active = false;
    this.committer.disable();
    this.unwatch?.();
    this.unwatch = undefined;
    const position = this.group.position();
    this.log.stop(position);
    // Drops what was handed out: a later activation re-reads from the stored position.
    this.group.seek(position);
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.resume();
    }, RETRY_MS);
  }
}
