import type { BrokerMetrics } from '../broker/index.js';

/** Counters of one broker since Junction started. */
export interface BrokerStats {
  namespace: string;
  name: string;
  received: number;
  replies: number;
  dropped: number;
  /** Deliveries measured by the latency histogram, and their summed latency in seconds. */
  latency: { count: number; sumSeconds: number };
}

/** Counters of one trigger since Junction started, and its current backlog. */
export interface TriggerStats {
  namespace: string;
  broker: string;
  name: string;
  delivered: number;
  retried: number;
  deadLettered: number;
  failed: number;
  backlog: number;
}

/** Sums over everything a stats answer covers. */
export interface StatsTotals {
  received: number;
  delivered: number;
  retried: number;
  deadLettered: number;
  failed: number;
  dropped: number;
  rejected: number;
  backlog: number;
}

/** The answer of the stats endpoint: one namespace (or all of them), read from the broker metrics. */
export interface StatsDocument {
  apiVersion: 'junction.dev/v1';
  kind: 'Stats';
  /** The namespace covered, or `*` for all namespaces. */
  namespace: string;
  brokers: BrokerStats[];
  triggers: TriggerStats[];
  /** Ingress refusals by problem code (they have no broker label). */
  rejected: Record<string, number>;
  totals: StatsTotals;
}

type Labels = Partial<Record<string, string | number>>;
type Sample = { value: number; labels: Labels; metricName?: string };

/** Reads the broker metrics of `namespace` (undefined: every namespace) into one document. */
export async function collectStats(metrics: BrokerMetrics, namespace: string | undefined): Promise<StatsDocument> {
  const samplesOf = async (metric: { get(): Promise<{ values: Sample[] }> }) =>
    (await metric.get()).values.filter((sample) => namespace === undefined || sample.labels.namespace === namespace);

  const brokers = new Map<string, BrokerStats>();
  const brokerOf = (labels: Labels) => {
    const key = `${labels.namespace}/${labels.broker}`;
    let entry = brokers.get(key);
    if (!entry) {
      entry = { namespace: String(labels.namespace), name: String(labels.broker), received: 0, replies: 0, dropped: 0, latency: { count: 0, sumSeconds: 0 } };
      brokers.set(key, entry);
    }
    return entry;
  };
  for (const sample of await samplesOf(metrics.received)) brokerOf(sample.labels).received += sample.value;
  for (const sample of await samplesOf(metrics.replies)) brokerOf(sample.labels).replies += sample.value;
  for (const sample of await samplesOf(metrics.dropped)) brokerOf(sample.labels).dropped += sample.value;
  for (const sample of await samplesOf(metrics.latency)) {
    if (sample.metricName?.endsWith('_count')) brokerOf(sample.labels).latency.count += sample.value;
    else if (sample.metricName?.endsWith('_sum')) brokerOf(sample.labels).latency.sumSeconds += sample.value;
  }

  const triggers = new Map<string, TriggerStats>();
  const triggerOf = (labels: Labels) => {
    const key = `${labels.namespace}/${labels.broker}/${labels.trigger}`;
    let entry = triggers.get(key);
    if (!entry) {
      entry = { namespace: String(labels.namespace), broker: String(labels.broker), name: String(labels.trigger), delivered: 0, retried: 0, deadLettered: 0, failed: 0, backlog: 0 };
      triggers.set(key, entry);
    }
    return entry;
  };
  const triggerCounters = [
    ['delivered', metrics.delivered],
    ['retried', metrics.retried],
    ['deadLettered', metrics.deadLettered],
    ['failed', metrics.failed],
    ['backlog', metrics.backlog],
  ] as const;
  for (const [field, metric] of triggerCounters) {
    for (const sample of await samplesOf(metric)) triggerOf(sample.labels)[field] += sample.value;
  }

  const rejected: Record<string, number> = {};
  for (const sample of await samplesOf(metrics.rejected)) {
    const code = String(sample.labels.code);
    rejected[code] = (rejected[code] ?? 0) + sample.value;
  }

  const byName = <T extends { namespace: string; name: string }>(a: T, b: T) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
  const brokerList = [...brokers.values()].sort(byName);
  const triggerList = [...triggers.values()].sort(byName);
  const sum = <T>(items: T[], pick: (item: T) => number) => items.reduce((total, item) => total + pick(item), 0);
  return {
    apiVersion: 'junction.dev/v1',
    kind: 'Stats',
    namespace: namespace ?? '*',
    brokers: brokerList,
    triggers: triggerList,
    rejected,
    totals: {
      received: sum(brokerList, (b) => b.received),
      dropped: sum(brokerList, (b) => b.dropped),
      delivered: sum(triggerList, (t) => t.delivered),
      retried: sum(triggerList, (t) => t.retried),
      deadLettered: sum(triggerList, (t) => t.deadLettered),
      failed: sum(triggerList, (t) => t.failed),
      backlog: sum(triggerList, (t) => t.backlog),
      rejected: sum(Object.values(rejected), (n) => n),
    },
  };
}
