import type { ConsumeMessage } from 'amqplib';
import type { RabbitConnection } from './connection.js';
import { JUNCTION_HEADERS } from './event-codec.js';
import { StreamFollower } from './stream-follower.js';
import { probeHead } from './stream-probe.js';

/** Where an appended message landed in the stream. */
export interface Placement {
  offset: number;
  appendedAt: number;
}

interface Expectation {
  resolve(placement: Placement): void;
  reject(error: unknown): void;
}

/**
 * Follows a channel's log stream from its head on. It tells appends the offset their message got
 * (matched by message id: publisher confirms carry no offset) and knows the exact head for backlog
 * and `latest`: probed when (re)started, then advanced by every record it sees.
 */
export class LogTailer {
  private follower: StreamFollower | undefined;
  private seen = -1;
  private probedHead = 0;
  private lastAppendedAt = 0;
  private readonly expected = new Map<string, Expectation>();
  private readonly feeds = new Set<(offset: number, message: ConsumeMessage) => void>();

  constructor(
    private readonly connection: RabbitConnection,
    private readonly stream: string,
    private readonly timeoutMs: number,
    private readonly onLost: () => void,
  ) {}

  /** (Re)starts following: from the probed head the first time, after the last record seen later on. */
  async start(): Promise<void> {
    if (this.seen < 0) {
      const probe = await probeHead(this.connection, this.stream, this.timeoutMs);
      this.seen = probe.head - 1;
      this.probedHead = probe.head;
      this.lastAppendedAt = probe.lastAppendedAt;
      await this.follow();
      return;
    }
    await this.follow();
    const probe = await probeHead(this.connection, this.stream, this.timeoutMs);
    if (probe.head > this.head()) {
      this.probedHead = probe.head;
      this.lastAppendedAt = probe.lastAppendedAt;
    }
  }

  /** The offset the next appended record gets (every record before it exists). */
  head(): number {
    return Math.max(this.probedHead, this.seen + 1);
  }

  /**
   * True when the records from `offset` on will all come through `feed`: the tailer is following
   * and has seen exactly up to `offset - 1`. A consumer group caught up with the log reads them from
   * here instead of a stream consumer of its own (one delivery per record from RabbitMQ, not two).
   */
  canFeedFrom(offset: number): boolean {
    return this.follower !== undefined && this.seen >= 0 && offset === this.seen + 1;
  }

  /** Every record the tailer sees from now on, in order (acked by the tailer); returns the detach. */
  feed(listener: (offset: number, message: ConsumeMessage) => void): () => void {
    this.feeds.add(listener);
    return () => void this.feeds.delete(listener);
  }

  /** When the last record was appended (the writer's clock). */
  lastAppendTime(): number {
    return this.lastAppendedAt;
  }

  /** Promises the placement of the message with `messageId`; register before publishing it. */
  expect(messageId: string): Promise<Placement> {
    return new Promise<Placement>((resolve, reject) => this.expected.set(messageId, { resolve, reject }));
  }

  /** Drops an expectation (its publish failed); the promise is left unsettled. */
  forget(messageId: string): void {
    this.expected.delete(messageId);
  }

  /** Stops following; pending expectations reject with `error`. */
  async stop(error: unknown): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    await follower?.close();
    for (const expectation of this.expected.values()) expectation.reject(error);
    this.expected.clear();
  }

  private async follow(): Promise<void> {
    const previous = this.follower;
    this.follower = undefined;
    await previous?.close();
    const started: { follower?: StreamFollower } = {};
    started.follower = await StreamFollower.start(
      this.connection,
      this.stream,
      { offset: this.seen + 1 },
      2048,
      ({ offset, message }, own) => {
        own.ackLater(message);
        if (own !== this.follower && this.follower !== undefined) return;
        if (offset <= this.seen) return;
        this.seen = offset;
        const stamp = Number(message.properties.headers?.[JUNCTION_HEADERS.appendedAt]);
        const placement = { offset, appendedAt: Number.isFinite(stamp) ? stamp : 0 };
        this.lastAppendedAt = placement.appendedAt;
        for (const listener of [...this.feeds]) listener(offset, message);
        const id = message.properties.messageId as unknown;
        if (typeof id !== 'string') return;
        const expectation = this.expected.get(id);
        if (!expectation) return;
        this.expected.delete(id);
        expectation.resolve(placement);
      },
      () => {
        if (started.follower !== undefined && this.follower !== started.follower) return;
        this.follower = undefined;
        this.onLost();
      },
    );
    this.follower = started.follower;
  }
}
