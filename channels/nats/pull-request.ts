import { nanos, type NatsConnection } from 'nats';

/** How long a pull request waits on the server for messages before it expires (then it is renewed). */
const EXPIRES_MS = 30_000;
/** The server proves an idle pull request is alive this often. */
const HEARTBEAT_MS = 5_000;

/** What the pull loop learned from a status message on its inbox. */
export type PullOutcome = 'ignored' | 'renew' | 'retry-later' | 'consumer-deleted';

/**
 * The one outstanding pull request of a consumer (JetStream pull protocol: a request to
 * `$JS.API.CONSUMER.MSG.NEXT.<stream>.<durable>` asking for `batch` messages, answered on
 * `<inbox>.<id>`). Keeping a single request open makes the number of messages the server may
 * still send exact; a request is done when its batch is filled, when it expires (408), when the
 * server refuses or drops it (409), or when its heartbeats stop (lost with a server restart).
 */
export class PullRequest {
  private current: { id: number; remaining: number; lastSeen: number } | undefined;
  private nextId = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly stream: string,
    private readonly durable: string,
    private readonly inbox: string,
  ) {}

  /** True while a request is open on the server. */
  get open(): boolean {
    return this.current !== undefined;
  }

  /** The subject pattern the consumer subscribes to for its messages and statuses. */
  get subscription(): string {
    return `${this.inbox}.*`;
  }

  /** Asks the server for up to `batch` more messages. */
  send(batch: number): void {
    this.nextId += 1;
    const body = JSON.stringify({ batch, expires: nanos(EXPIRES_MS), idle_heartbeat: nanos(HEARTBEAT_MS) });
    this.nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${this.stream}.${this.durable}`, body, { reply: `${this.inbox}.${this.nextId}` });
    this.current = { id: this.nextId, remaining: batch, lastSeen: Date.now() };
  }

  /** A message arrived for the open request; true when that filled its batch (a new one may be sent). */
  delivered(): boolean {
    if (!this.current) return false;
    this.current.remaining -= 1;
    this.current.lastSeen = Date.now();
    if (this.current.remaining > 0) return false;
    this.current = undefined;
    return true;
  }

  /** Reads a status message (no ack subject, a status code) that came on `subject`. */
  status(subject: string, code: number, description: string): PullOutcome {
    const id = Number(subject.slice(subject.lastIndexOf('.') + 1));
    if (!this.current || this.current.id !== id) return 'ignored';
    if (code === 100) {
      this.current.lastSeen = Date.now();
      return 'ignored';
    }
    this.current = undefined;
    if (code === 408 || code === 404) return 'renew';
    if (code === 409 && /consumer deleted/i.test(description)) return 'consumer-deleted';
    // Exceeded MaxWaiting, leadership change, consumer is push based…: try again a bit later.
    return 'retry-later';
  }

  /** True when the open request went silent (no heartbeat): it is forgotten and must be renewed. */
  lost(now: number): boolean {
    if (!this.current || now - this.current.lastSeen <= 2 * HEARTBEAT_MS + 1_000) return false;
    this.current = undefined;
    return true;
  }

  /** Forgets the open request (after a reconnection or a seek): the next `send` starts afresh. */
  forget(): void {
    this.current = undefined;
  }
}

/** Longest a pull request can still bring messages after it was sent (its expiry, plus slack). */
export const PULL_LIFETIME_MS = EXPIRES_MS + 2 * HEARTBEAT_MS;

/** How often a consumer checks its request's heartbeats and keeps long-held messages alive. */
export const WATCH_INTERVAL_MS = HEARTBEAT_MS;
