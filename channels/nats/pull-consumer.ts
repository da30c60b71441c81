import { createInbox, type Msg, type NatsConnection, type NatsError, type Subscription } from 'nats';
import { backoffDelay, type BackoffPolicy } from '../../core/backoff/index.js';
import { createError } from '../../core/errors.js';
import type { ChannelMessage, ChannelRecord, ConsumeOptions, Consumer } from '../channel.js';
import { recordKey } from '../log/record-key.js';
import { parseAckSubject, type DeliveryInfo } from './ack-subject.js';
import { decodeEvent } from './event-codec.js';
import { HandOut } from './hand-out.js';
import { PULL_LIFETIME_MS, PullRequest, WATCH_INTERVAL_MS } from './pull-request.js';
import type { ReplyInbox } from './reply-inbox.js';

/** Pause before pulling again after the server refused a pull or the group was moved elsewhere. */
const RETRY_PULL_MS = 250;
/** Longest pause between attempts to set up the group while the server is away. */
const MAX_START_BACKOFF_MS = 5_000;
/** Pauses between attempts to set up the group: 500 ms after the first failure, doubling up to the cap. */
const SET_UP_BACKOFF: BackoffPolicy = { kind: 'exponential', baseMs: 250, maxMs: MAX_START_BACKOFF_MS };

/** What a consumer needs from its channel, for one group. */
export interface GroupHost {
  readonly nc: NatsConnection;
  readonly replies: ReplyInbox;
  readonly stream: string;
  readonly durable: string;
  readonly ackWaitMs: number;
  readonly requestTimeoutMs: number;
  /** True while this process is replacing the group's durable consumer (seek). */
  isMoving(): boolean;
  /** Makes sure the durable consumer exists (created at the latest position) and allows `capacity` unacked messages. */
  ensureGroup(capacity: number): Promise<void>;
  onReconnect(listener: () => void): () => void;
  /** A failure in the background (no caller to reject): reported, then retried. */
  report(error: unknown): void;
  removed(consumer: PullConsumer): void;
  /** Registers what ends a closed consumer's lingering subscription when the channel closes; returns the unregister. */
  linger(stop: () => void): () => void;
}

/**
 * One consumer of a group on a durable pull consumer. It pulls only as many messages as it has
 * room for (maxInFlight, twice that for orderedByKey to look past blocked keys), hands them out
 * through its HandOut (at most maxInFlight in flight), acks without confirmation, nacks with
 * `-NAK {delay}`, and renews its pull after expiry, reconnection or lost heartbeats, so consumption
 * resumes by itself after the server went away.
 */
export class PullConsumer implements Consumer {
  /** Resolves once the first attempt to set up the group finished (appends wait for it). */
  readonly started: Promise<void>;
  private readonly handOut: HandOut;
  private readonly capacity: number;
  private readonly pull: PullRequest;
  private readonly unlisten: () => void;
  private subscription: Subscription | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private settingUp = false;
  private failedSetUps = 0;
  private rechecking = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private stopLingering: (() => void) | undefined;

  constructor(
    private readonly host: GroupHost,
    options: ConsumeOptions,
    handler: (message: ChannelMessage) => void,
  ) {
    this.capacity = options.orderedByKey ? options.maxInFlight * 2 : options.maxInFlight;
    this.handOut = new HandOut(options, handler, {
      // Plain acks (no confirmation round trip): backlog and close flush the connection instead.
      ack: (held) => this.send(held.reply, '+ACK'),
      nak: (held, delayMs) => this.send(held.reply, nak(delayMs)),
      changed: () => this.maybePull(),
    });
    this.pull = new PullRequest(host.nc, host.stream, host.durable, createInbox());
    this.unlisten = host.onReconnect(() => this.reconnected());
    this.started = this.setUp();
  }

  /** Stops pulling; every message held here (handed out or not) goes back to the group at once. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** The group was moved (seek): forget what is held, drop acks of what is in flight, pull afresh. */
  restart(): void {
    this.handOut.restart();
    this.pull.forget();
    this.maybePull();
  }

  private async setUp(): Promise<void> {
    this.settingUp = true;
    try {
      await this.host.ensureGroup(this.capacity);
      if (this.closed) return;
      this.subscription = this.host.nc.subscribe(this.pull.subscription, { callback: (error, msg) => this.receive(error, msg) });
    } catch (error) {
      if (this.closed) return;
      this.host.report(error);
      this.failedSetUps += 1;
      this.later(backoffDelay(SET_UP_BACKOFF, this.failedSetUps), () => void this.setUp());
      return;
    } finally {
      this.settingUp = false;
    }
    this.watchTimer = setInterval(() => this.watch(), Math.min(WATCH_INTERVAL_MS, Math.floor(this.host.ackWaitMs / 3)));
    this.maybePull();
  }

  /** The connection is back: renew the pull (the server may have restarted), or finish setting up now. */
  private reconnected(): void {
    if (this.closed) return;
    if (this.subscription) {
      this.pull.forget();
      this.maybePull();
    } else if (!this.settingUp && this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      void this.setUp();
    }
  }

  private receive(error: NatsError | null, msg: Msg): void {
    if (error) return this.host.report(error);
    const reply = msg.reply;
    const info = parseAckSubject(reply);
    if (!info || reply === undefined) {
      const code = msg.headers?.code ?? 0;
      if (code > 0) this.status(msg.subject, code, msg.headers?.description ?? '');
      return;
    }
    if (this.closed) {
      // The pull request outlived the consumer: give the message back; once the request is filled nothing more comes.
      this.send(reply, nak(0));
      if (this.pull.delivered()) this.unsubscribe();
      return;
    }
    const filled = this.pull.delivered();
    this.accept(msg, reply, info);
    if (filled) this.maybePull();
  }

  private status(subject: string, code: number, description: string): void {
    const outcome = this.pull.status(subject, code, description);
    if (this.closed) {
      if (!this.pull.open) this.unsubscribe(); // the lingering request ended (expired or refused)
      return;
    }
    if (outcome === 'renew') this.maybePull();
    else if (outcome === 'retry-later') this.later(RETRY_PULL_MS, () => this.maybePull());
    else if (outcome === 'consumer-deleted' && !this.host.isMoving()) {
      // Moved or deleted by another process: what is held belongs to the old consumer. Pull again
      // a little later, once the other process has created the new one.
      this.later(RETRY_PULL_MS, () => this.maybePull());
      this.restart();
    }
  }

  private accept(msg: Msg, reply: string, info: DeliveryInfo): void {
    // A redelivery of a message still held here: the held copy stays the one to ack.
    if (this.handOut.holds(info.streamSequence)) return;
    let record: ChannelRecord;
    try {
      record = { offset: info.streamSequence - 1, appendedAt: info.storedAt, event: decodeEvent(msg.headers, msg.data) };
    } catch (error) {
      // Not a CloudEvent (another producer wrote garbage to the subject): it would fail forever.
      this.host.report(createError('JUNCTION_EVENT_INVALID', `stream ${this.host.stream} sequence ${info.streamSequence} is not a CloudEvent and was terminated: ${(error as Error).message}`));
      return this.send(reply, '+TERM');
    }
    const key = recordKey(record.event);
    if (key !== undefined) record.key = key;
    this.handOut.accept({ sequence: info.streamSequence, reply, record, deliveryCount: info.deliveryCount, localRetries: 0, state: 'queued', progressAt: Date.now() });
  }

  private maybePull(): void {
    if (this.closed || !this.subscription || this.pull.open || this.retryTimer || this.rechecking || this.host.isMoving()) return;
    const room = this.capacity - this.handOut.size;
    if (room <= 0) return;
    try {
      this.pull.send(room);
    } catch (error) {
      this.host.report(error);
    }
  }

  /** Periodic: renew a pull whose heartbeats stopped, and keep long-held messages from redelivery. */
  private watch(): void {
    const now = Date.now();
    if (this.pull.lost(now)) void this.recheck();
    for (const held of this.handOut.messages()) {
      if (now - held.progressAt < this.host.ackWaitMs / 2) continue;
      held.progressAt = now;
      this.send(held.reply, '+WPI');
    }
    this.maybePull();
  }

  /** The pull went silent: the server restarted or the group's consumer is gone; set it up again. */
  private async recheck(): Promise<void> {
    this.rechecking = true;
    try {
      await this.host.ensureGroup(this.capacity);
    } catch (error) {
      this.host.report(error);
    } finally {
      this.rechecking = false;
    }
    this.maybePull();
  }

  private later(ms: number, action: () => void): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      action();
    }, ms);
  }

  private send(subject: string, body: string): void {
    this.host.replies.send(subject, body);
  }

  private unsubscribe(): void {
    this.stopLingering?.();
    this.stopLingering = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    try {
      if (subscription && !subscription.isClosed()) subscription.unsubscribe();
    } catch {
      // The connection is closed already: so is the subscription.
    }
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchTimer);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.unlisten();
    // JetStream cannot cancel a pull request: the server may still be sending messages for the open
    // one. Unsubscribing now would drop those (the server would redeliver them only after ack_wait),
    // so the subscription stays until the request is filled or expires, nacking whatever arrives.
    if (this.pull.open && this.subscription) {
      const timer = setTimeout(() => this.unsubscribe(), PULL_LIFETIME_MS);
      timer.unref();
      const unregister = this.host.linger(() => this.unsubscribe());
      this.stopLingering = () => {
        clearTimeout(timer);
        unregister();
      };
    } else this.unsubscribe();
    // Confirmed naks: once close resolves the server has every held message back (another consumer
    // gets it now, not after ack_wait). One that fails is redelivered after ack_wait anyway.
    const released = this.handOut.stop().map(({ held, delayMs }) => this.host.replies.request(held.reply, nak(delayMs), this.host.requestTimeoutMs));
    await Promise.allSettled(released);
    this.host.removed(this);
  }
}

/** The JetStream nak, with a redelivery delay when there is one. */
function nak(delayMs: number): string {
  return delayMs > 0 ? `-NAK {"delay":${delayMs * 1_000_000}}` : '-NAK';
}
