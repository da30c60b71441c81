import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import type { Replica } from '../backends/backend.js';
import { ProxyExchange, type ExchangeOutcome } from './exchange.js';
import { upstreamHeaders } from './headers.js';
import { answerProblem } from './problem.js';
import { ReplicaPool } from './replica-pool.js';
import type { RevisionLoad, RouteTarget } from './types.js';
import { WaitQueue } from './wait-queue.js';

/** Knative activator's defaults: a 10,000-request buffer per revision and a 10-minute progress deadline. */
export const DEFAULT_BUFFER_LIMIT = 10_000;
export const DEFAULT_PROGRESS_DEADLINE_MS = 10 * 60_000;

/** Tuning of a RevisionProxy; every field has a default. */
export interface RevisionProxyOptions {
  /** Requests the revision holds waiting (cold start, or every replica at containerConcurrency); beyond → 503 JUNCTION_SERVICE_OVERLOADED. */
  bufferLimit?: number;
  /** How long requests wait for a ready replica after a wake; then 503 JUNCTION_SERVICE_UNAVAILABLE. */
  progressDeadlineMs?: number;
  /** Called when the progress deadline passed without a ready replica, so the owner can scale back to zero. */
  onProgressDeadline?: () => void;
  /** Sends to one replica per request when connections are refused before the request reaches one (default 5). */
  maxAttempts?: number;
  /** Outbound HTTP; by default a keep-alive undici Agent of the proxy's own, closed by `close()`. */
  dispatcher?: Dispatcher;
}

/** One caller's request from arrival until it is answered. */
interface Pending {
  request: IncomingMessage;
  response: ServerResponse;
  path: string;
  headers: string[];
  /** In the wait queue now (WaitQueue keeps it). */
  queued: boolean;
  /** The caller closed the connection: nothing is sent or answered any more. */
  gone: boolean;
  attempts: number;
  /** Replicas that refused this request's connection: tried last. */
  avoid?: Set<string>;
  exchange?: ProxyExchange;
}

/**
 * Knative's queue-proxy and activator for one revision, over Node's (req, res) pair: balances on the
 * least outstanding requests within containerConcurrency, queues (FIFO) when every replica is full,
 * buffers while none is ready and wakes the revision at once, and enforces the revision's timeouts.
 * A fastify route calls it as `reply.hijack(); proxy.handle(request.raw, reply.raw)` with the body left unread.
 */
export class RevisionProxy {
  private readonly pool: ReplicaPool;
  private readonly queue = new WaitQueue<Pending>();
  private readonly dispatcher: Dispatcher;
  private readonly ownAgent: Agent | undefined;
  private readonly bufferLimit: number;
  private readonly progressDeadlineMs: number;
  private readonly maxAttempts: number;
  /** Set between a wake() and the first ready replica (or the progress deadline). */
  private progressTimer: NodeJS.Timeout | undefined;
  private waking = false;
  /** Requests between a refused connection and their next attempt. */
  private retrying = 0;
  private arrived = 0;
  private closed = false;

  constructor(
    private readonly target: RouteTarget,
    private readonly options: RevisionProxyOptions = {},
  ) {
    this.pool = new ReplicaPool(target.containerConcurrency);
    this.pool.update(target.replicas());
    this.bufferLimit = options.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
    this.progressDeadlineMs = options.progressDeadlineMs ?? DEFAULT_PROGRESS_DEADLINE_MS;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.ownAgent = options.dispatcher ? undefined : new Agent({ headersTimeout: 0, bodyTimeout: 0 });
    this.dispatcher = options.dispatcher ?? (this.ownAgent as Agent);
  }

  /** Proxies one request; `path` (path and query) defaults to the request's own, e.g. to strip a `/services/…` prefix. */
  handle(request: IncomingMessage, response: ServerResponse, path: string = request.url ?? '/'): void {
    this.arrived++;
    if (this.closed) return answerProblem(response, 'JUNCTION_SHUTTING_DOWN', `revision ${this.target.revision} is shutting down`);
    const pending: Pending = { request, response, path, headers: upstreamHeaders(request), queued: false, gone: false, attempts: 0 };
    response.once('close', () => this.callerGone(pending));
    // Nobody waits: straight to a replica with room. Otherwise the request takes its place in line.
    const replica = this.queue.size === 0 ? this.pool.pick() : undefined;
    if (replica) return this.send(pending, replica);
    if (this.queue.size + this.retrying >= this.bufferLimit) {
      return answerProblem(response, 'JUNCTION_SERVICE_OVERLOADED', `${this.bufferLimit} requests already wait for revision ${this.target.revision}`);
    }
    this.queue.push(pending);
    this.pump();
  }

  /** The backend reported a change of the revision's replicas: waiting requests go to the new ready ones at once. */
  replicasChanged(): void {
    this.pool.update(this.target.replicas());
    this.pump();
  }

  /** Stops sending new requests to `replicaId`; resolves when its in-flight requests have finished. */
  drain(replicaId: string): Promise<void> {
    const drained = this.pool.drain(replicaId);
    this.pump();
    return drained;
  }

  /** The revision's load since the last read, for the autoscaler (reading resets `arrived`). */
  load(): RevisionLoad {
    const arrived = this.arrived;
    this.arrived = 0;
    const buffered = this.queue.size + this.retrying;
    return { inFlight: this.pool.inFlight + buffered, arrived, buffered };
  }

  /** Answers waiting requests with 503 JUNCTION_SHUTTING_DOWN, lets in-flight ones finish, closes its own connections. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopWaking();
    for (const pending of this.queue.clear()) {
      answerProblem(pending.response, 'JUNCTION_SHUTTING_DOWN', `revision ${this.target.revision} is shutting down`);
    }
    await this.ownAgent?.close();
  }

  /** Sends waiting requests, oldest first, while a replica has room; wakes the revision when none is ready. */
  private pump(): void {
    if (this.pool.available > 0) this.stopWaking();
    for (let head = this.queue.peek(); head !== undefined; head = this.queue.peek()) {
      const replica = this.pool.pick(head.avoid);
      if (!replica) break;
      this.queue.shift();
      this.send(head, replica);
    }
    if (this.queue.size > 0 && this.pool.available === 0) this.wake();
  }

  private send(pending: Pending, replica: Replica): void {
    this.pool.acquire(replica);
    const { request, response, path, headers } = pending;
    const { timeoutMs, responseStartTimeoutMs } = this.target;
    const exchange = new ProxyExchange({ request, response, path, headers, replica, timeoutMs, responseStartTimeoutMs }, (outcome) =>
      this.exchangeEnded(pending, replica, outcome),
    );
    pending.exchange = exchange;
    exchange.start(this.dispatcher);
  }

  private exchangeEnded(pending: Pending, replica: Replica, outcome: ExchangeOutcome): void {
    pending.exchange = undefined;
    this.pool.release(replica);
    if (outcome === 'not-sent' && !pending.gone) this.retry(pending, replica);
    this.pump();
  }

  /**
   * A replica refused the connection before any byte reached it: the request goes to another replica
   * at once, or back to the head of the line after a short backoff when only refusing ones are left.
   */
  private retry(pending: Pending, refused: Replica): void {
    pending.attempts++;
    if (pending.attempts >= this.maxAttempts) {
      return answerProblem(pending.response, 'JUNCTION_SERVICE_UNAVAILABLE', `no replica of revision ${this.target.revision} accepted a connection in ${pending.attempts} attempts`);
    }
    (pending.avoid ??= new Set()).add(refused.id);
    const other = this.pool.pick(pending.avoid);
    if (other && !pending.avoid.has(other.id)) return this.send(pending, other);
    this.retrying++;
    setTimeout(() => {
      this.retrying--;
      if (pending.gone) return;
      pending.avoid = undefined;
      if (this.closed) return answerProblem(pending.response, 'JUNCTION_SHUTTING_DOWN', `revision ${this.target.revision} is shutting down`);
      this.queue.unshift(pending);
      this.pump();
    }, Math.min(25 * 2 ** (pending.attempts - 1), 1_000));
  }

  /** Asks for a replica once per cold start (the Poke) and arms the progress deadline. */
  private wake(): void {
    if (this.waking || this.closed) return;
    this.waking = true;
    this.progressTimer = setTimeout(() => this.progressDeadlinePassed(), this.progressDeadlineMs);
    this.target.wake();
  }

  private stopWaking(): void {
    this.waking = false;
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
  }

  private progressDeadlinePassed(): void {
    this.stopWaking();
    const detail = `no replica of revision ${this.target.revision} became ready within ${this.progressDeadlineMs} ms (the progress deadline)`;
    for (const pending of this.queue.clear()) answerProblem(pending.response, 'JUNCTION_SERVICE_UNAVAILABLE', detail);
    this.options.onProgressDeadline?.();
  }

  private callerGone(pending: Pending): void {
    pending.gone = true;
    if (pending.queued) this.queue.remove(pending);
    else pending.exchange?.cancel();
  }
}
