import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { addTraceHeaders, toBinaryHttp, toStructuredJson, type CloudEvent } from '../../core/cloudevent/index.js';
import { waitUnlessAborted, type Aborts } from './abortable-wait.js';
import { judgeExchange, type AttemptVerdict } from './classify.js';
import { withErrorExtensions } from './dead-letter.js';
import { postOnce, type HttpRequestSpec } from './http-attempt.js';
import { nextWaitMs } from './policy.js';
import type { AttemptInfo, DelivererOptions, DeliveryLogger, DeliveryPolicy, DeliveryResult, LocalAttempt } from './types.js';

const MAX_TIMER_MS = 2_147_483_647;

/** What every lane of one Deliverer shares: how requests are written and where attempts are reported. */
export interface LaneSettings {
  readonly maxResponseBytes: number;
  readonly userAgent: string;
  readonly logger?: DeliveryLogger;
  readonly onAttempt?: (info: AttemptInfo) => void;
  readonly credentials?: (url: URL, namespace: string) => string | undefined;
  readonly local?: DelivererOptions['local'];
}

type Failure = Extract<AttemptVerdict, { ok: false }>;
type Outcome = { ok: true; status: number; reply?: CloudEvent; attempts: number } | { ok: false; attempts: number; last: Failure };

/** A URL without credentials or query, safe to log. */
const forLog = (url: URL): string => `${url.origin}${url.pathname}`;

/**
 * One trigger's (or subscription's) own keep-alive connections, at most `connections` per origin,
 * that no other lane can use up: a slow subscriber holds back only the trigger that delivers to it.
 * Delivers with Knative's semantics (retries, backoff, per-attempt timeout, Retry-After, dead letter).
 */
export class DeliveryLane {
  #agent: Agent;
  #connections: number;
  #active = 0;
  #idle: (() => void) | undefined;
  #closed: Promise<void> | undefined;

  constructor(
    private readonly settings: LaneSettings,
    connections: number,
    private readonly onClosed?: (lane: DeliveryLane) => void,
  ) {
    this.#connections = connections;
    this.#agent = pool(connections);
  }

  /** Most connections this lane keeps per origin. */
  get connections(): number {
    return this.#connections;
  }

  /**
   * Delivers `event` to `target` following `policy`. Resolves with how it ended (never rejects for
   * subscriber trouble); rejects with the signal's reason when `signal` aborts, without dead-lettering.
   * `namespace` is whose delivery this is (for credentials to Junction's own ingress). `backoffSignal`
   * ends only the waits between attempts (and so any further attempt), never a request on the wire:
   * a shutdown uses it so that a delivery waiting out a backoff does not hold the drain.
   */
  async deliver(event: CloudEvent, target: string, policy: DeliveryPolicy, signal?: AbortSignal, namespace?: string, backoffSignal?: AbortSignal): Promise<DeliveryResult> {
    this.#active++;
    try {
      return await this.#deliver(event, target, policy, { signal, backoffSignal }, namespace);
    } finally {
      if (--this.#active === 0) this.#idle?.();
    }
  }

  /** Bounds the lane to `connections` per origin from now on; requests in flight finish on the old pool, which then closes. */
  resize(connections: number): void {
    if (connections === this.#connections || this.#closed) return;
    const previous = this.#agent;
    this.#agent = pool(connections);
    this.#connections = connections;
    void previous.close().catch(() => undefined);
  }

  /**
   * Closes every connection of the lane once the deliveries running on it have ended (aborted ones
   * end at once); the lane is not used afterwards.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      if (this.#active > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
      // Only attempts already given up (timed out, aborted) can remain: nobody waits for them.
      await this.#agent.destroy().catch(() => undefined);
      this.onClosed?.(this);
    })();
    return this.#closed;
  }

  async #deliver(event: CloudEvent, target: string, policy: DeliveryPolicy, aborts: Aborts, namespace?: string): Promise<DeliveryResult> {
    const url = parsedUrl(target);
    const sent = await this.#send(event, url, policy, 'subscriber', aborts, namespace);
    if (sent.ok) return { outcome: 'delivered', status: sent.status, reply: sent.reply, attempts: sent.attempts };

    const { last, attempts } = sent;
    const { logger } = this.settings;
    const context = { eventId: event.id, eventType: event.type, target: forLog(url), status: last.status, attempts };
    if (!policy.deadLetterSink) {
      logger?.warn({ ...context, error: last.error }, 'event delivery failed');
      return { outcome: 'failed', status: last.status, attempts, error: last.error, code: last.code };
    }
    const sinkUrl = parsedUrl(policy.deadLetterSink);
    const deadLetter = withErrorExtensions(event, target, { status: last.status ?? 500, body: last.errorBody });
    const parked = await this.#send(deadLetter, sinkUrl, policy, 'dead-letter', aborts, namespace);
    if (parked.ok) {
      logger?.warn({ ...context, error: last.error, deadLetterSink: forLog(sinkUrl) }, 'event sent to the dead-letter sink');
      return { outcome: 'dead-lettered', status: last.status, attempts, error: last.error, code: last.code };
    }
    const error = `${last.error}; the dead-letter sink failed too: ${parked.last.error}`;
    logger?.warn({ ...context, error, deadLetterSink: forLog(sinkUrl) }, 'event delivery and dead-lettering failed');
    return { outcome: 'failed', status: last.status, attempts, error, code: last.code };
  }

  /**
   * Sends with retries per `policy`; replies are only read from the subscriber, never from the
   * dead-letter sink. Requests stop at `aborts.signal`, the waits between them at either signal.
   */
  async #send(event: CloudEvent, url: URL, policy: DeliveryPolicy, destination: AttemptInfo['destination'], aborts: Aborts, namespace?: string): Promise<Outcome> {
    const { signal } = aborts;
    const { headers, body } = encode(event, policy.format);
    headers['user-agent'] = this.settings.userAgent;
    addTraceHeaders(event, headers);
    const token = namespace === undefined ? undefined : this.settings.credentials?.(url, namespace);
    if (token) headers.authorization = `Bearer ${token}`;
    if (destination === 'subscriber') headers.prefer = 'reply';
    const request = { url, headers, body, timeoutMs: policy.timeoutMs, maxResponseBytes: this.settings.maxResponseBytes };
    for (let attempt = 1; ; attempt++) {
      const { verdict, latencyMs } = await this.#attempt(event, request, destination === 'subscriber', namespace, signal);
      this.#report({ destination, attempt, outcome: verdict.outcome, status: verdict.status, latencyMs });
      if (verdict.ok) return { ok: true, status: verdict.status, reply: verdict.reply, attempts: attempt };
      if (!verdict.retryable || attempt > policy.retry) return { ok: false, attempts: attempt, last: verdict };
      const waitMs = Math.min(nextWaitMs(policy, attempt, verdict.status, verdict.retryAfter), MAX_TIMER_MS);
      this.settings.logger?.debug({ destination, target: forLog(url), attempt, status: verdict.status, error: verdict.error, waitMs }, 'delivery attempt failed, retrying');
      await waitUnlessAborted(waitMs, aborts);
    }
  }

  /** One attempt: in-process when the `local` hook takes it, else one POST. */
  async #attempt(event: CloudEvent, request: HttpRequestSpec, parseReplies: boolean, namespace: string | undefined, signal: AbortSignal | undefined): Promise<{ verdict: AttemptVerdict; latencyMs: number }> {
    signal?.throwIfAborted();
    const started = performance.now();
    const local = this.settings.local?.(event, request.url, namespace);
    if (local) return { verdict: localVerdict(await local), latencyMs: performance.now() - started };
    // The pool is read per attempt: after a resize, retries use the new one.
    const exchange = await postOnce(this.#agent, request, signal);
    return { verdict: judgeExchange(exchange, parseReplies), latencyMs: exchange.latencyMs };
  }

  #report(info: AttemptInfo): void {
    try {
      this.settings.onAttempt?.(info);
    } catch {
      // A broken metrics hook must not change how an event is delivered.
    }
  }
}

/** An in-process attempt judged like the HTTP answer it stands for. */
function localVerdict(attempt: LocalAttempt): AttemptVerdict {
  if (attempt.ok) return { ok: true, outcome: 'delivered', status: attempt.status };
  const { status, retryable, retryAfter, body, error, code } = attempt;
  return { ok: false, outcome: 'rejected', retryable, status, retryAfter, errorBody: Buffer.from(body), error, code };
}

/** A keep-alive pool per origin, at most `connections` each; redirects are never followed. */
function pool(connections: number): Agent {
  return new Agent({ connections, maxRedirections: 0 });
}

function encode(event: CloudEvent, format: DeliveryPolicy['format']): { headers: Record<string, string>; body: Buffer | string | undefined } {
  if (format === 'json') {
    return { headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: toStructuredJson(event) };
  }
  return toBinaryHttp(event); // a fresh headers object: #send adds its own headers to it
}

/** Parsed targets (a trigger delivers thousands of events to the same one); never mutated. */
const urls = new Map<string, URL>();

function parsedUrl(target: string): URL {
  let url = urls.get(target);
  if (url === undefined) {
    url = new URL(target);
    if (urls.size >= 4096) urls.clear();
    urls.set(target, url);
  }
  return url;
}
