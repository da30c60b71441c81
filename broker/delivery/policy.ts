import { backoffDelay } from '../../core/backoff/index.js';
import { parseDurationMs } from '../../core/duration/index.js';
import { createError } from '../../core/errors.js';
import type { DeliveryPolicy, DeliverySpec } from './types.js';
import { validateDeliverySpec } from './validate.js';

/**
 * Junction's defaults where neither the trigger nor the broker says anything. Knative's own
 * defaults: no retries; exponential backoff with a 1 s base (the Kafka broker's
 * BROKER_DEFAULT_BACKOFF_DELAY_MS); no per-attempt timeout; Retry-After ignored.
 */
export const DEFAULT_DELIVERY: Readonly<DeliverySpec> = Object.freeze({
  retry: 0,
  backoffPolicy: 'exponential',
  backoffDelay: 'PT1S',
});

const optionalMs = (text: string | undefined): number | undefined => (text === undefined ? undefined : parseDurationMs(text));

/**
 * Merges `spec` (e.g. a Trigger's delivery) over `defaults` (its Broker's) field by field, over
 * DEFAULT_DELIVERY, and parses every duration once. Throws JUNCTION_RESOURCE_INVALID listing every
 * problem when either is invalid, or when the dead-letter sink is a `ref` nobody resolved to a uri.
 */
export function resolveDeliveryPolicy(spec?: DeliverySpec, defaults?: DeliverySpec): DeliveryPolicy {
  const problems = [...validateDeliverySpec(defaults, 'defaults'), ...validateDeliverySpec(spec, 'delivery')];
  const merged: DeliverySpec = { ...DEFAULT_DELIVERY };
  for (const layer of [defaults, spec]) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
  }
  if (merged.deadLetterSink && typeof merged.deadLetterSink.uri !== 'string') {
    problems.push({ path: 'deadLetterSink.uri', message: 'the dead-letter sink must be resolved to a uri before delivery' });
  }
  if (problems.length > 0) {
    throw createError('JUNCTION_RESOURCE_INVALID', `${problems.length} problem(s) in the delivery spec`, { problems });
  }
  return Object.freeze({
    retry: merged.retry ?? 0,
    backoffPolicy: merged.backoffPolicy ?? 'exponential',
    backoffDelayMs: optionalMs(merged.backoffDelay) ?? 0,
    timeoutMs: optionalMs(merged.timeout),
    retryAfterMaxMs: optionalMs(merged.retryAfterMax),
    backoffMaxMs: optionalMs(merged.backoffMax),
    format: merged.format ?? 'binary',
    deadLetterSink: merged.deadLetterSink?.uri,
  });
}

/**
 * The wait before retry number `retry` (1 for the first retry), as Knative computes it:
 * linear backoffDelay * retry, exponential backoffDelay * 2^retry, capped by backoffMax.
 */
export function backoffMs(policy: DeliveryPolicy, retry: number): number {
  return backoffDelay({ kind: policy.backoffPolicy, baseMs: policy.backoffDelayMs, maxMs: policy.backoffMaxMs }, retry);
}

/**
 * The wait before the next attempt after a failed one: the backoff, or a longer 429/503
 * `Retry-After` when the policy honours it (capped by retryAfterMax; PT0S turns it off).
 */
export function nextWaitMs(policy: DeliveryPolicy, retry: number, status: number | undefined, retryAfter: string | undefined): number {
  const backoff = backoffMs(policy, retry);
  if (policy.retryAfterMaxMs === undefined || (status !== 429 && status !== 503) || retryAfter === undefined) return backoff;
  const requested = parseRetryAfterMs(retryAfter);
  if (requested === undefined) return backoff;
  return Math.max(backoff, Math.min(requested, policy.retryAfterMaxMs));
}

/** Parses a Retry-After value (RFC 9110: delay-seconds or an HTTP-date) into ms from now. */
export function parseRetryAfterMs(value: string, now: number = Date.now()): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
