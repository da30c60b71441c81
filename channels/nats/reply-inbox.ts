import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';

/** How often pending requests are checked for their deadline. */
const SWEEP_MS = 50;

interface Waiting {
  resolve: (msg: Msg) => void;
  reject: (error: Error) => void;
  deadline: number;
}

/** A request that got no answer in time (its `code` is what nats.js uses for the same case). */
export class ReplyTimeoutError extends Error {
  readonly code = 'TIMEOUT';
}

/**
 * Request/reply over one wildcard inbox subscription, for the hot paths (publish acks, direct
 * gets, acks with confirmation). nats.js's own `request` costs two Error objects and a timer per
 * call; here answers are matched by subject token and deadlines swept by one timer that runs only
 * while something is pending.
 */
export class ReplyInbox {
  private readonly prefix = createInbox();
  private readonly waiting = new Map<string, Waiting>();
  private readonly subscription: Subscription;
  private sweeper: NodeJS.Timeout | undefined;
  private next = 0;
  /** Publishes of this event-loop turn: nats.js writes to the socket after every microtask, so they are sent together. */
  private outbox: Array<() => void> = [];
  private outboxScheduled = false;

  constructor(private readonly nc: NatsConnection) {
    this.subscription = nc.subscribe(`${this.prefix}.*`, {
      callback: (error, msg) => {
        if (error) return;
        const token = msg.subject.slice(this.prefix.length + 1);
        const waiting = this.waiting.get(token);
        if (!waiting) return;
        this.waiting.delete(token);
        waiting.resolve(msg);
      },
    });
  }

  /** Publishes `payload` to `subject` and resolves with the answer; rejects with ReplyTimeoutError after `timeoutMs`. */
  request(subject: string, payload: string | Uint8Array, timeoutMs: number, headers?: MsgHdrs): Promise<Msg> {
    this.next += 1;
    const token = this.next.toString(36);
    return new Promise<Msg>((resolve, reject) => {
      this.waiting.set(token, { resolve, reject, deadline: Date.now() + timeoutMs });
      this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS);
      this.enqueue(() => {
        try {
          this.nc.publish(subject, payload, headers ? { reply: `${this.prefix}.${token}`, headers } : { reply: `${this.prefix}.${token}` });
        } catch (error) {
          this.waiting.delete(token);
          reject(error as Error);
        }
      });
    });
  }

  /** Publishes without waiting for an answer (acks, naks); a closed connection drops it (the server redelivers). */
  send(subject: string, body: string): void {
    this.enqueue(() => {
      try {
        this.nc.publish(subject, body);
      } catch {
        // Connection closed: the server redelivers after ack_wait.
      }
    });
  }

  /** Publishes everything queued now (before a flush of the connection, or closing). */
  sendQueued(): void {
    this.outboxScheduled = false;
    const batch = this.outbox;
    this.outbox = [];
    for (const publish of batch) publish();
  }

  private enqueue(publish: () => void): void {
    this.outbox.push(publish);
    if (this.outboxScheduled) return;
    this.outboxScheduled = true;
    setImmediate(() => {
      if (this.outboxScheduled) this.sendQueued();
    });
  }

  /** Rejects everything pending and stops listening. */
  close(): void {
    this.sendQueued();
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const waiting of this.waiting.values()) waiting.reject(new Error('the NATS connection is closed'));
    this.waiting.clear();
    if (!this.subscription.isClosed()) this.subscription.unsubscribe();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, waiting] of this.waiting) {
      if (waiting.deadline > now) continue;
      this.waiting.delete(token);
      waiting.reject(new ReplyTimeoutError('no answer from the NATS server in time'));
    }
    if (this.waiting.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
