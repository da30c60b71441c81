import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { ErrorCode } from '../../core/errors.js';

/** Knative's DeliverySpec as users write it on a Broker, Trigger, Channel or Subscription (`spec.delivery`). */
export interface DeliverySpec {
  /** Retries after the first attempt; attempts = retry + 1. */
  retry?: number;
  backoffPolicy?: 'exponential' | 'linear';
  /** ISO-8601 base delay: linear waits backoffDelay * n before retry n, exponential backoffDelay * 2^n. */
  backoffDelay?: string;
  /** ISO-8601 limit of each single attempt (request and response body). */
  timeout?: string;
  /** ISO-8601 cap on a 429/503 `Retry-After`; absent means Retry-After is ignored, PT0S too. */
  retryAfterMax?: string;
  /** ISO-8601 cap on the computed backoff between attempts (Knative's alpha `backoffMax`). */
  backoffMax?: string;
  /** Knative's `format`: `binary` (default) or `json` (structured mode). */
  format?: 'json' | 'binary';
  /** Where events go once every attempt failed (a Knative Destination); a `ref` must be resolved to `uri` before delivery. */
  deadLetterSink?: { uri?: string; ref?: DestinationRef };
}

/** Knative's KReference inside a Destination. */
export interface DestinationRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** A DeliverySpec merged with defaults and parsed once: what a delivery actually follows. */
export interface DeliveryPolicy {
  readonly retry: number;
  readonly backoffPolicy: 'exponential' | 'linear';
  readonly backoffDelayMs: number;
  /** Undefined: no per-attempt limit beyond the HTTP client's own idle limits. */
  readonly timeoutMs?: number;
  /** Undefined: Retry-After is ignored. */
  readonly retryAfterMaxMs?: number;
  readonly backoffMaxMs?: number;
  /** `binary` (default) sends ce- headers; `json` sends structured `application/cloudevents+json`. */
  readonly format: 'json' | 'binary';
  /** Absolute URL of the dead-letter sink. */
  readonly deadLetterSink?: string;
}

/** How one delivery ended. `attempts` counts requests to the subscriber (not to the dead-letter sink). */
export type DeliveryResult =
  | { outcome: 'delivered'; status: number; reply?: CloudEvent; attempts: number }
  | { outcome: 'dead-lettered'; status?: number; attempts: number; error: string; code: ErrorCode }
  | { outcome: 'failed'; status?: number; attempts: number; error: string; code: ErrorCode };

/** What one HTTP attempt came to, as reported to `onAttempt` (metrics labels). */
export type AttemptOutcome = 'delivered' | 'rejected' | 'invalid-reply' | 'timeout' | 'connection-error';

/** One attempt, reported to `onAttempt` for metrics; carries no event data. */
export interface AttemptInfo {
  /** `subscriber` for the target, `dead-letter` for the dead-letter sink. */
  destination: 'subscriber' | 'dead-letter';
  /** 1-based attempt number within this destination. */
  attempt: number;
  outcome: AttemptOutcome;
  /** HTTP status, when there was a response (502 for an invalid reply). */
  status?: number;
  latencyMs: number;
}

/** The slice of a pino logger the deliverer uses. */
export interface DeliveryLogger {
  warn(context: object, message: string): void;
  debug(context: object, message: string): void;
}

/** Options of a Deliverer; every field has a default. */
export interface DelivererOptions {
  /**
   * Most TCP connections per origin of the shared pool behind `Deliverer.deliver` (default 100,
   * Knative's MaxIdleConnsPerHost); a trigger's or subscription's lane has its own bound.
   */
  connectionsPerOrigin?: number;
  /** Most response-body bytes read per attempt (default 1 MiB). */
  maxResponseBytes?: number;
  /** `User-Agent` of every request (default `junction`). */
  userAgent?: string;
  logger?: DeliveryLogger;
  onAttempt?: (info: AttemptInfo) => void;
  /**
   * A bearer token to send to `url` on behalf of `namespace`, or undefined for none. Junction uses
   * it to reach its own ingress (flows, replies to channels) when auth is on.
   */
  credentials?: (url: URL, namespace: string) => string | undefined;
  /**
   * Takes over an attempt without HTTP, or declines it by returning undefined. Junction uses it to
   * append deliveries to its own broker and channel ingress (flow steps, replies to channels, dead
   * letters into a broker) in-process; retries, backoff and dead-lettering apply to its outcome as
   * to an HTTP answer's. `namespace` is whose delivery it is, when known.
   */
  local?: (event: CloudEvent, target: URL, namespace: string | undefined) => Promise<LocalAttempt> | undefined;
}

/**
 * How an attempt taken over by `DelivererOptions.local` ended: accepted (the event is durable) or
 * refused the way an HTTP answer would have been (`status`, whether to retry, the answer's body).
 */
export type LocalAttempt =
  | { ok: true; status: number }
  | { ok: false; status: number; retryable: boolean; retryAfter?: string; body: string; error: string; code: ErrorCode };
