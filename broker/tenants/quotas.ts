import type { QuotaConfig } from '../../core/config/index.js';
import { createError } from '../../core/errors.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Per-namespace limits: ingest rate (token bucket), event size and resource count. */
export class Quotas {
  private readonly buckets = new Map<string, Bucket>();
  /** Limits merged once per configured namespace: config is frozen, and ingress asks on every request. */
  private readonly merged = new Map<string, QuotaConfig>();
  private readonly defaultLimits: QuotaConfig;

  constructor(
    defaults: QuotaConfig,
    perNamespace: Record<string, QuotaConfig>,
    private readonly now: () => number = Date.now,
  ) {
    this.defaultLimits = Object.freeze({ ...defaults });
    for (const [namespace, overrides] of Object.entries(perNamespace)) this.merged.set(namespace, Object.freeze({ ...defaults, ...overrides }));
  }

  /** The namespace's limits: the defaults, overridden by the namespace's own entry. */
  limits(namespace: string): QuotaConfig {
    return this.merged.get(namespace) ?? this.defaultLimits;
  }

  /**
   * Takes `count` events from the namespace's ingest budget or throws 429 with Retry-After; a batch
   * larger than the bucket can ever hold throws 413 instead, since no wait would let it through.
   */
  takeIngest(namespace: string, count: number): void {
    const { ingestPerSecond, ingestBurst } = this.limits(namespace);
    if (!ingestPerSecond) return;
    const capacity = Math.max(ingestBurst ?? ingestPerSecond, 1);
    if (count > capacity) {
      const limit = ingestBurst === undefined ? `ingestBurst (unset, so ingestPerSecond) of ${capacity}` : `ingestBurst of ${capacity}`;
      throw createError('JUNCTION_QUOTA_BATCH_SIZE', `a batch of ${count} events exceeds namespace ${namespace}'s ${limit} events; send at most ${Math.floor(capacity)} events per request`, {
        extra: { limit: Math.floor(capacity) },
      });
    }
    const now = this.now();
    const bucket = this.buckets.get(namespace) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * ingestPerSecond);
    bucket.updatedAt = now;
    this.buckets.set(namespace, bucket);
    if (bucket.tokens < count) {
      const waitSeconds = Math.max(1, Math.ceil((count - bucket.tokens) / ingestPerSecond));
      throw createError('JUNCTION_QUOTA_RATE', `namespace ${namespace} may ingest ${ingestPerSecond} events/s; retry in ${waitSeconds}s`, {
        headers: { 'retry-after': String(waitSeconds) },
      });
    }
    bucket.tokens -= count;
  }

  /** Throws 413 when one event is larger than the namespace allows. */
  checkEventSize(namespace: string, bytes: number): void {
    const { maxEventBytes } = this.limits(namespace);
    if (maxEventBytes !== undefined && bytes > maxEventBytes) {
      throw createError('JUNCTION_QUOTA_EVENT_SIZE', `event of ${bytes} bytes exceeds namespace ${namespace}'s limit of ${maxEventBytes} bytes`);
    }
  }

  /** Throws 429 when the namespace already holds its maximum number of resources. */
  checkResourceCount(namespace: string, current: number): void {
    const { maxResources } = this.limits(namespace);
    if (maxResources !== undefined && current >= maxResources) {
      throw createError('JUNCTION_QUOTA_RESOURCES', `namespace ${namespace} already holds ${current} resources (limit ${maxResources})`);
    }
  }
}
