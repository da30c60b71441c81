import type { BrokerMetrics } from '../broker/index.js';
import { bucketDelta, histogramQuantile, type Bucket } from './histogram-quantile.js';
import { HistoryRing, type SeriesPoint } from './history-ring.js';
import type { StatsHistoryDocument } from './history-types.js';
import { sourceKey } from './source-stats.js';
import { collectStats } from './stats.js';

/** The brokers and triggers that exist now: only they have series, so deleted ones are dropped. */
export interface ExistingResources {
  brokers: Array<{ namespace: string; name: string }>;
  triggers: Array<{ namespace: string; broker: string; name: string }>;
}

/** Runs `tick` every `ms` until the returned function is called (injectable so tests drive time). */
export type Scheduler = (ms: number, tick: () => void) => () => void;

/** How often to sample, how long to keep it, and the clock and scheduler to do it with. */
export interface SamplerOptions {
  intervalMs?: number;
  windowMs?: number;
  now?: () => number;
  schedule?: Scheduler;
  onError?: (error: Error) => void;
}

/** How often the sampler reads the metrics unless told otherwise (`dashboard.sampleInterval`). */
export const DEFAULT_SAMPLE_INTERVAL_MS = 10_000;
/** How much history the plots keep: the last 15 minutes. */
export const HISTORY_WINDOW_MS = 15 * 60_000;
const P99 = 0.99;

const BROKER_FIELDS = ['received', 'delivered', 'p99Seconds'] as const;
const TRIGGER_FIELDS = ['delivered', 'retried', 'deadLettered', 'failed'] as const;
type BrokerMeta = { namespace: string; name: string };
type TriggerMeta = { namespace: string; broker: string; name: string };
type TriggerCounters = Record<(typeof TRIGGER_FIELDS)[number], number>;
const SOURCE_FIELDS = ['events', 'refused', 'failed'] as const;
type SourceMeta = { namespace: string; kind: string; name: string };
type SourceCounters = Record<(typeof SOURCE_FIELDS)[number], number>;

/** Counter values of one reading, by resource key (every labelled series, deleted resources too). */
interface Reading {
  at: number;
  received: Map<string, number>;
  triggers: Map<string, TriggerCounters>;
  latency: Map<string, Bucket[]>;
  /** Sources with counts (a deleted source's series are dropped by the sources module). */
  sources: Map<string, { meta: SourceMeta; counters: SourceCounters }>;
}

const everyInterval: Scheduler = (ms, tick) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};
// Rounded so the JSON stays short: rates to 0.001/s, latency to the microsecond.
const perSecond = (delta: number, seconds: number) => Math.round((Math.max(0, delta) / seconds) * 1000) / 1000;
const toMicroseconds = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1e6) / 1e6);

/**
 * Keeps 15 minutes of the dashboard's plots in memory: every interval it reads the broker metrics
 * (the counters the stats endpoint reports and the latency histogram) and records, per existing
 * broker and trigger, the rates of the interval and the p99 latency of its deliveries; and, per
 * source with counts, its events/s and refused and failed webhook requests/s.
 */
export class StatsSampler {
  readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly brokers: HistoryRing<BrokerMeta, (typeof BROKER_FIELDS)[number]>;
  private readonly triggers: HistoryRing<TriggerMeta, (typeof TRIGGER_FIELDS)[number]>;
  private readonly sources: HistoryRing<SourceMeta, (typeof SOURCE_FIELDS)[number]>;
  private previous: Reading | undefined;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly metrics: BrokerMetrics,
    private readonly existing: () => ExistingResources,
    private readonly options: SamplerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
    this.windowMs = options.windowMs ?? HISTORY_WINDOW_MS;
    this.now = options.now ?? Date.now;
    this.brokers = new HistoryRing(BROKER_FIELDS, this.windowMs);
    this.triggers = new HistoryRing(TRIGGER_FIELDS, this.windowMs);
    this.sources = new HistoryRing(SOURCE_FIELDS, this.windowMs);
  }

  /** Takes the first reading now (the baseline of the first interval) and samples every interval. */
  start(): void {
    if (this.cancel) return;
    const tick = () => void this.sample().catch((error: Error) => this.options.onError?.(error));
    this.cancel = (this.options.schedule ?? everyInterval)(this.intervalMs, tick);
    tick();
  }

  /** Stops sampling; the history kept so far stays readable. */
  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** Reads the metrics and, from the second reading on, records the interval since the last one. */
  async sample(): Promise<void> {
    const reading = await this.read();
    const before = this.previous;
    this.previous = reading;
    if (!before || reading.at <= before.at) return;
    const seconds = (reading.at - before.at) / 1000;
    const { brokers, triggers } = this.existing();

    const deliveredByBroker = new Map<string, number>();
    const triggerPoints = new Map<string, SeriesPoint<TriggerMeta, (typeof TRIGGER_FIELDS)[number]>>();
    for (const [key, counters] of reading.triggers) {
      const brokerKey = key.slice(0, key.lastIndexOf('/'));
      const delivered = counters.delivered - (before.triggers.get(key)?.delivered ?? 0);
      deliveredByBroker.set(brokerKey, (deliveredByBroker.get(brokerKey) ?? 0) + Math.max(0, delivered));
    }
    for (const trigger of triggers) {
      const key = `${trigger.namespace}/${trigger.broker}/${trigger.name}`;
      const now = reading.triggers.get(key);
      const earlier = before.triggers.get(key);
      const rate = (field: (typeof TRIGGER_FIELDS)[number]) => perSecond((now?.[field] ?? 0) - (earlier?.[field] ?? 0), seconds);
      triggerPoints.set(key, { meta: trigger, values: { delivered: rate('delivered'), retried: rate('retried'), deadLettered: rate('deadLettered'), failed: rate('failed') } });
    }

    const brokerPoints = new Map<string, SeriesPoint<BrokerMeta, (typeof BROKER_FIELDS)[number]>>();
    for (const broker of brokers) {
      const key = `${broker.namespace}/${broker.name}`;
      const latency = reading.latency.get(key);
      brokerPoints.set(key, {
        meta: broker,
        values: {
          received: perSecond((reading.received.get(key) ?? 0) - (before.received.get(key) ?? 0), seconds),
          delivered: perSecond(deliveredByBroker.get(key) ?? 0, seconds),
          p99Seconds: latency ? toMicroseconds(histogramQuantile(P99, bucketDelta(latency, before.latency.get(key)))) : null,
        },
      });
    }
    const sourcePoints = new Map<string, SeriesPoint<SourceMeta, (typeof SOURCE_FIELDS)[number]>>();
    for (const [key, { meta, counters }] of reading.sources) {
      const earlier = before.sources.get(key)?.counters;
      const rate = (field: (typeof SOURCE_FIELDS)[number]) => perSecond(counters[field] - (earlier?.[field] ?? 0), seconds);
      sourcePoints.set(key, { meta, values: { events: rate('events'), refused: rate('refused'), failed: rate('failed') } });
    }
    this.brokers.push(reading.at, brokerPoints);
    this.triggers.push(reading.at, triggerPoints);
    this.sources.push(reading.at, sourcePoints);
  }

  /** The history of `namespace` (undefined: every namespace) as the stats history endpoint answers it. */
  history(namespace: string | undefined): StatsHistoryDocument {
    const inView = (meta: { namespace: string }) => namespace === undefined || meta.namespace === namespace;
    return {
      apiVersion: 'junction.dev/v1',
      kind: 'StatsHistory',
      namespace: namespace ?? '*',
      intervalSeconds: this.intervalMs / 1000,
      windowSeconds: this.windowMs / 1000,
      times: this.brokers.times.map((at) => at / 1000),
      brokers: this.brokers.series().filter((series) => inView(series.meta)).map((series) => ({ ...series.meta, ...series.values })),
      triggers: this.triggers.series().filter((series) => inView(series.meta)).map((series) => ({ ...series.meta, ...series.values })),
      sources: this.sources.series().filter((series) => inView(series.meta)).map((series) => ({ ...series.meta, ...series.values })),
    };
  }

  private async read(): Promise<Reading> {
    const at = this.now();
    const stats = await collectStats(this.metrics, undefined);
    const received = new Map(stats.brokers.map((broker) => [`${broker.namespace}/${broker.name}`, broker.received]));
    const triggers = new Map(stats.triggers.map((t) => [`${t.namespace}/${t.broker}/${t.name}`, { delivered: t.delivered, retried: t.retried, deadLettered: t.deadLettered, failed: t.failed }]));
    const latency = new Map<string, Bucket[]>();
    for (const { labels, value, metricName } of (await this.metrics.latency.get()).values) {
      if (!metricName?.endsWith('_bucket')) continue;
      const key = `${labels.namespace}/${labels.broker}`;
      const buckets = latency.get(key) ?? [];
      const le = (labels as Record<string, string | number | undefined>).le;
      buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: value });
      latency.set(key, buckets);
    }
    for (const buckets of latency.values()) buckets.sort((a, b) => a.le - b.le);
    const sources = new Map(
      stats.sources.map(({ namespace, kind, name, events, refused, requests }) => [
        sourceKey({ namespace, kind, name }),
        { meta: { namespace, kind, name }, counters: { events, refused, failed: requests.payloadInvalid + requests.notReady + requests.sinkFailed } },
      ]),
    );
    return { at, received, triggers, latency, sources };
  }
}
