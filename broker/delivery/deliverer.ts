import { Agent } from 'undici';
import { addTraceHeaders, toBinaryHttp, toStructuredJson, type CloudEvent } from '../../core/cloudevent/index.js';
import { judgeExchange, type AttemptVerdict } from './classify.js';
import { withErrorExtensions } from './dead-letter.js';
import { postOnce } from './http-attempt.js';
import { nextWaitMs } from './policy.js';
import type { AttemptInfo, DelivererOptions, DeliveryLogger, DeliveryPolicy, DeliveryResult } from './types.js';

const MIB = 1024 * 1024;
const MAX_TIMER_MS = 2_147_483_647;

type Failure = Extract<AttemptVerdict, { ok: false }>;
/** What may cut a delivery short: `signal` any part of it, `backoffSignal` the waits between attempts. */
type Aborts = { signal?: AbortSignal; backoffSignal?: AbortSignal };
type Outcome = { ok: true; status: number; reply?: CloudEvent; attempts: number } | { ok: false; attempts: number; last: Failure };

/** A URL without credentials or query, safe to log. */
const forLog = (url: URL): string => `${url.origin}${url.pathname}`;

/**
 * Delivers events to subscribers over HTTP with Knative's delivery semantics (retries, backoff,
 * per-attempt timeout, Retry-After, dead-letter sink), through one keep-alive pool per origin.
 */
export class Deliverer {
  readonly #agent: Agent;
  readonly #maxResponseBytes: number;
  readonly #userAgent: string;
  readonly #logger?: DeliveryLogger;
  readonly #onAttempt?: (info: AttemptInfo) => void;
  readonly #credentials?: (url: URL, namespace: string) => string | undefined;

  constructor(options: DelivererOptions = {}) {
    this.#agent = new Agent({ connections: options.connectionsPerOrigin ?? 100, maxRedirections: 0 });
    this.#maxResponseBytes = options.maxResponseBytes ?? MIB;
    this.#userAgent = options.userAgent ?? 'junction';
    this.#logger = options.logger;
    this.#onAttempt = options.onAttempt;
    this.#credentials = options.credentials;
  }

  /**
   * Delivers `event` to `target` following `policy`. Resolves with how it ended (never rejects for
   * subscriber trouble); rejects with the signal's reason when `signal` aborts, without dead-lettering.
   * `namespace` is whose delivery this is (for credentials to Junction's own ingress). `backoffSignal`
   * ends only the waits between attempts (and so any further attempt), never a request on the wire:
   * a shutdown uses it so that a delivery waiting out a backoff does not hold the drain.
   */
  async deliver(event: CloudEvent, target: string, policy: DeliveryPolicy, signal?: AbortSignal, namespace?: string, backoffSignal?: AbortSignal): Promise<DeliveryResult> {
    const url = parsedUrl(target);
    const aborts = { signal, backoffSignal };
    const sent = await this.#send(event, url, policy, 'subscriber', aborts, namespace);
    if (sent.ok) return { outcome: 'delivered', status: sent.status, reply: sent.reply, attempts: sent.attempts };

    const { last, attempts } = sent;
    const context = { eventId: event.id, eventType: event.type, target: forLog(url), status: last.status, attempts };
    if (!policy.deadLetterSink) {
      this.#logger?.warn({ ...context, error: last.error }, 'event delivery failed');
      return { outcome: 'failed', status: last.status, attempts, error: last.error, code: last.code };
    }
    const sinkUrl = parsedUrl(policy.deadLetterSink);
    const deadLetter = withErrorExtensions(event, target, { status: last.status ?? 500, body: last.errorBody });
    const parked = await this.#send(deadLetter, sinkUrl, policy, 'dead-letter', aborts, namespace);
    if (parked.ok) {
      this.#logger?.warn({ ...context, error: last.error, deadLetterSink: forLog(sinkUrl) }, 'event sent to the dead-letter sink');
      return { outcome: 'dead-lettered', status: last.status, attempts, error: last.error, code: last.code };
    }
    const error = `${last.error}; the dead-letter sink failed too: ${parked.last.error}`;
    this.#logger?.warn({ ...context, error, deadLetterSink: forLog(sinkUrl) }, 'event delivery and dead-lettering failed');
    return { outcome: 'failed', status: last.status, attempts, error, code: last.code };
  }

  /** Closes every pooled connection once in-flight requests finish. */
  async close(): Promise<void> {
    await this.#agent.close();
  }

  /**
   * Sends with retries per `policy`; replies are only read from the subscriber, never from the
   * dead-letter sink. Requests stop at `signal`, the waits between them at either signal.
   */
  async #send(event: CloudEvent, url: URL, policy: DeliveryPolicy, destination: AttemptInfo['destination'], aborts: Aborts, namespace?: string): Promise<Outcome> {
    const { signal } = aborts;
    const { headers, body } = this.#encode(event, policy.format);
    headers['user-agent'] = this.#userAgent;
    addTraceHeaders(event, headers);
    const token = namespace === undefined ? undefined : this.#credentials?.(url, namespace);
    if (token) headers.authorization = `Bearer ${token}`;
    if (destination === 'subscriber') headers.prefer = 'reply';
    const request = { url, headers, body, timeoutMs: policy.timeoutMs, maxResponseBytes: this.#maxResponseBytes };
    for (let attempt = 1; ; attempt++) {
      const exchange = await postOnce(this.#agent, request, signal);
      const verdict = judgeExchange(exchange, destination === 'subscriber');
      this.#report({ destination, attempt, outcome: verdict.outcome, status: verdict.status, latencyMs: exchange.latencyMs });
      if (verdict.ok) return { ok: true, status: verdict.status, reply: verdict.reply, attempts: attempt };
      if (!verdict.retryable || attempt > policy.retry) return { ok: false, attempts: attempt, last: verdict };
      const waitMs = Math.min(nextWaitMs(policy, attempt, verdict.status, verdict.retryAfter), MAX_TIMER_MS);
      this.#logger?.debug({ destination, target: forLog(url), attempt, status: verdict.status, error: verdict.error, waitMs }, 'delivery attempt failed, retrying');
      await wait(waitMs, aborts);
    }
  }

  #encode(event: CloudEvent, format: DeliveryPolicy['format']): { headers: Record<string, string>; body: Buffer | string | undefined } {
    if (format === 'json') {
      return { headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: toStructuredJson(event) };
    }
    return toBinaryHttp(event); // a fresh headers object: #send adds its own headers to it
  }

  #report(info: AttemptInfo): void {
    try {
      this.#onAttempt?.(info);
    } catch {
      // A broken metrics hook must not change how an event is delivered.
    }
  }
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

/** Waits `ms`, rejecting with the reason of whichever of `aborts` aborts first, as soon as it does. */
async function wait(ms: number, aborts: Aborts): Promise<void> {
  const signals = [aborts.signal, aborts.backoffSignal].filter((signal): signal is AbortSignal => signal !== undefined);
  for (const signal of signals) signal.throwIfAborted();
  if (ms <= 0) return;
  return new Promise<void>((resolve, reject) => {
    const stop = (signal: AbortSignal) => () => settle(() => reject(signal.reason));
    const listeners = signals.map((signal) => [signal, stop(signal)] as const);
    const timer = setTimeout(() => settle(resolve), ms);
    function settle(finish: () => void): void {
      clearTimeout(timer);
      for (const [signal, listener] of listeners) signal.removeEventListener('abort', listener);
      finish();
    }
    for (const [signal, listener] of listeners) signal.addEventListener('abort', listener, { once: true });
  });
}
