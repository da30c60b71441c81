/**
 * How long to wait before attempt `n` of something that failed: the one formula behind every retry
 * and reconnect loop in Junction (channels, controllers, delivery, supervised processes).
 */
export interface BackoffPolicy {
  /** `exponential` waits baseMs·2ⁿ, `linear` baseMs·n, `constant` baseMs (Knative's delivery formulas). */
  kind: 'exponential' | 'linear' | 'constant';
  /** The unit of the formula, in milliseconds. */
  baseMs: number;
  /** Cap on the computed delay (before jitter). */
  maxMs?: number;
  /**
   * Randomness that spreads retries of many callers apart: `full` draws from [0, d), `equal` from
   * [d/2, d), `{ratio: r}` from [d·(1−r), d·(1+r)); `none` (the default) waits exactly d.
   */
  jitter?: 'none' | 'full' | 'equal' | { ratio: number };
  /** The source of randomness for jitter, in [0, 1) (Math.random unless a test injects one). */
  random?: () => number;
}

/**
 * The delay before attempt `attempt` (counted as the policy's caller counts: Knative counts the first
 * retry as 1). Never negative, never NaN; an exponent too large to represent is the cap (or Infinity).
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  const capped = policy.maxMs === undefined ? rawDelay(policy, attempt) : Math.min(rawDelay(policy, attempt), policy.maxMs);
  const delay = Math.max(0, capped);
  const jitter = policy.jitter ?? 'none';
  if (jitter === 'none' || delay === 0) return delay;
  const random = (policy.random ?? Math.random)();
  if (jitter === 'full') return delay * random;
  if (jitter === 'equal') return delay / 2 + (delay / 2) * random;
  return delay * (1 - jitter.ratio + random * 2 * jitter.ratio);
}

function rawDelay({ kind, baseMs }: BackoffPolicy, attempt: number): number {
  if (baseMs === 0) return 0;
  if (kind === 'constant') return baseMs;
  if (kind === 'linear') return baseMs * attempt;
  return baseMs * 2 ** attempt;
}
