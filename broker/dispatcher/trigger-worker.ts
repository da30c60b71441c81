import type { ChannelRecord, LogAccess } from '../../channels/index.js';
import type { DeliveryLane } from '../delivery/index.js';
import { deliverRecord, type DeliveryContext } from './deliver-record.js';
import { DeliveryQueue } from './delivery-queue.js';
import type { TriggerTarget } from './trigger-target.js';
import { waitForDrain } from './wait-for-drain.js';

/** What a worker shares with its broker's dispatcher. */
export interface WorkerContext extends DeliveryContext {
  log: LogAccess;
  queueLimit: number;
  /** Offsets below this were routed by the dispatcher's single read of the log. */
  routedHead(): number;
}

/**
 * Delivers one trigger's events. Normally the dispatcher pushes matching records to it ("attached");
 * when its queue overflows, after a restart or on replay it reads the log itself from its cursor
 * ("catching up") until it reaches the dispatcher's position and attaches again.
 */
export class TriggerWorker {
  private queue: DeliveryQueue;
  private readonly outstanding = new Set<number>();
  private inFlight = 0;
  private attached: boolean;
  private catchUpFrom: number;
  private catchingUp = false;
  private stopped = false;
  private readonly abort = new AbortController();
  /** Aborted when the worker stops: ends the waits for retries, so only requests on the wire hold the drain. */
  private readonly draining = new AbortController();
  private drainWaiters: Array<() => void> = [];
  /** This trigger's own connections, as many as it may have deliveries in flight. */
  private readonly lane: DeliveryLane;

  constructor(
    private target: TriggerTarget,
    private readonly context: WorkerContext,
    cursor: number | undefined,
  ) {
    this.queue = new DeliveryQueue(target.ordered);
    this.lane = context.deliverer.lane(target.maxInFlight);
    this.attached = cursor === undefined;
    this.catchUpFrom = cursor ?? context.routedHead();
    if (!this.attached) void this.catchUp();
  }

  get id(): string {
    return this.target.uid;
  }

  get trigger(): TriggerTarget {
    return this.target;
  }

  /** Takes a new spec; in-flight deliveries finish under the old one. */
  update(target: TriggerTarget): void {
    this.target = target;
    this.lane.resize(target.maxInFlight);
    this.pump();
  }

  /** A record the dispatcher routed here (it already matched the filter). */
  offer(record: ChannelRecord): void {
    if (!this.attached || this.stopped) return;
    if (this.queue.size >= this.context.queueLimit) {
      this.attached = false;
      this.catchUpFrom = record.offset;
      void this.catchUp();
      return;
    }
    this.enqueue(record);
  }

  /** Delivers again everything from `offset` on (events already pending may go twice). */
  replay(offset: number): void {
    this.attached = false;
    this.catchUpFrom = Math.max(offset, this.context.log.tail());
    void this.catchUp();
  }

  /** The position below which every matching event is delivered or dead-lettered. */
  cursor(): number {
    let position = this.attached ? this.context.routedHead() : this.catchUpFrom;
    for (const offset of this.outstanding) if (offset < position) position = offset;
    return position;
  }

  /** Events routed here and not finished (queued + in flight), plus what catch-up has still to read. */
  backlog(): number {
    const unread = this.attached ? 0 : Math.max(0, this.context.routedHead() - this.catchUpFrom);
    return this.outstanding.size + unread;
  }

  /**
   * Stops taking work; waits up to `graceMs` for requests on the wire, then aborts them, and closes
   * the trigger's connections. Deliveries waiting out a backoff end at once. Whatever did not finish
   * stays below the cursor and goes again.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.wakeCatchUp();
    this.draining.abort();
    if (this.inFlight > 0) await waitForDrain(this.drainWaiters, graceMs);
    this.abort.abort();
    await this.lane.close();
  }

  private enqueue(record: ChannelRecord): void {
    this.outstanding.add(record.offset);
    this.queue.push(record);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < this.target.maxInFlight) {
      const record = this.queue.take();
      if (!record) break;
      this.inFlight++;
      void this.deliver(record);
    }
  }

  private async deliver(record: ChannelRecord): Promise<void> {
    const finished = await deliverRecord(this.target, record, this.lane, this.context, this.abort.signal, this.draining.signal);
    this.inFlight--;
    this.queue.done(record);
    // An aborted delivery stays outstanding so the saved cursor makes it go again after restart.
    if (finished) this.outstanding.delete(record.offset);
    if (this.inFlight === 0 && this.drainWaiters.length > 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
    this.pump();
    if (this.queue.size < this.context.queueLimit / 2) this.wakeCatchUp();
  }

  private catchUpWaiter?: () => void;

  private wakeCatchUp(): void {
    const waiter = this.catchUpWaiter;
    this.catchUpWaiter = undefined;
    waiter?.();
  }

  private async catchUp(): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      while (!this.attached && !this.stopped) {
        if (this.queue.size >= this.context.queueLimit / 2) {
          await new Promise<void>((resolve) => (this.catchUpWaiter = resolve));
          continue;
        }
        const head = this.context.routedHead();
        if (this.catchUpFrom >= head) {
          this.attached = true;
          break;
        }
        const from = Math.max(this.catchUpFrom, this.context.log.tail());
        const records = this.context.log.read(from, Math.min(512, head - from));
        if (records.length === 0) {
          this.catchUpFrom = Math.max(from, this.context.log.tail());
          if (this.catchUpFrom < head) await new Promise((resolve) => setTimeout(resolve, 10));
          continue;
        }
        for (const record of records) {
          if (record.offset >= head) break;
          if (this.target.matches(record.event)) this.enqueue(record);
          this.catchUpFrom = record.offset + 1;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.catchingUp = false;
    }
  }
}
