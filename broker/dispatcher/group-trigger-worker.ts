import type { Channel, ChannelMessage, Consumer, SeekTarget } from '../../channels/index.js';
import type { DeliveryLane } from '../delivery/index.js';
import { deliverRecord, type DeliveryContext } from './deliver-record.js';
import type { TriggerTarget } from './trigger-target.js';
import { waitForDrain } from './wait-for-drain.js';

/**
 * Consumer group of a trigger (or subscription) on an engine that keeps its own groups: readable on
 * the engine as `<namespace>.<name>`. A trigger's is unique across brokers (Kafka shows
 * `junction.<namespace>.<trigger>`); a subscription's is unique on its channel (Kafka:
 * `junction.<namespace>.channel_<channel>.<namespace>.<subscription>`). A deleted trigger's group is
 * deleted with it, so a new trigger of the same name starts from the latest event.
 */
export function triggerGroupName(target: Pick<TriggerTarget, 'namespace' | 'name'>): string {
  return `${target.namespace}.${target.name}`;
}

/**
 * Delivers one trigger's events from its own consumer group of the broker's channel: the engine
 * tracks the position, and a message is acknowledged only once delivered or dead-lettered (events
 * the filter rejects are acknowledged at once). Used where the channel offers no `LogAccess`.
 */
export class GroupTriggerWorker {
  private consumer: Consumer | undefined;
  private abort = new AbortController();
  /** Aborted when the worker stops: ends the waits for retries, so only requests on the wire hold the drain. */
  private readonly draining = new AbortController();
  private inFlight = 0;
  private stopped = false;
  private drainWaiters: Array<() => void> = [];
  /** This trigger's own connections, as many as it may have deliveries in flight. */
  private readonly lane: DeliveryLane;

  constructor(
    private target: TriggerTarget,
    private readonly channel: Channel,
    private readonly context: DeliveryContext,
  ) {
    this.lane = context.deliverer.lane(target.maxInFlight);
    this.start();
  }

  get trigger(): TriggerTarget {
    return this.target;
  }

  get group(): string {
    return triggerGroupName(this.target);
  }

  /** Takes a new spec; a new in-flight bound or ordering mode restarts the consumer (aborted deliveries go again). */
  async update(target: TriggerTarget): Promise<void> {
    const restart = target.maxInFlight !== this.target.maxInFlight || target.ordered !== this.target.ordered;
    this.target = target;
    this.lane.resize(target.maxInFlight);
    if (restart) await this.restart();
  }

  /** Moves the group (replay) and starts delivering from there; deliveries in flight are aborted and go again. */
  async seek(to: SeekTarget): Promise<void> {
    await this.restart(() => this.channel.seek(this.group, to));
  }

  /** Events of the group not acknowledged yet (including ones the filter will skip). */
  backlog(): Promise<number> {
    return this.channel.backlog(this.group);
  }

  /**
   * Stops taking messages; waits up to `graceMs` for requests on the wire, then aborts them, and
   * closes the connections. Deliveries waiting out a backoff end at once. Unacknowledged messages
   * are redelivered later.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.draining.abort();
    if (this.inFlight > 0 && graceMs > 0) await waitForDrain(this.drainWaiters, graceMs);
    this.abort.abort();
    await this.consumer?.close();
    this.consumer = undefined;
    await this.lane.close();
  }

  private start(): void {
    const options = { maxInFlight: this.target.maxInFlight, orderedByKey: this.target.ordered };
    this.consumer = this.channel.consume(this.group, options, (message) => this.handle(message));
  }

  private async restart(between?: () => Promise<void>): Promise<void> {
    this.abort.abort();
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.close();
    this.abort = new AbortController();
    await between?.();
    if (!this.stopped) this.start();
  }

  private handle(message: ChannelMessage): void {
    if (this.stopped) return; // left unacknowledged: the engine hands it out again later
    if (!this.target.matches(message.event)) {
      message.ack();
      return;
    }
    this.inFlight++;
    const signal = this.abort.signal;
    void deliverRecord(this.target, message, this.lane, this.context, signal, this.draining.signal).then((finished) => {
      this.inFlight--;
      if (finished && !signal.aborted) message.ack();
      if (this.inFlight === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
    });
  }
}
