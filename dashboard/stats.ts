import { CHANNEL_LABEL_PREFIX, type BrokerMetrics } from '../broker/index.js';
import type { Resource } from '../core/resources/index.js';
import { collectSourceStats } from './source-stats.js';
import type { BrokerStats, ChannelStats, DeliveryCounters, StatsDocument, SubscriptionStats, TriggerStats } from './stats-types.js';

export type { BrokerStats, ChannelStats, DeliveryCounters, LatencyStats, SourceReadiness, SourceStats, StatsDocument, StatsTotals, SubscriptionStats, TriggerStats, WebhookRequestCounts } from './stats-types.js';

type Labels = Partial<Record<string, string | number>>;
type Sample = { value: number; labels: Labels; metricName?: string };

/** Entries by key, created on first use. */
class Tally<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly create: (labels: Labels) => T) {}
  of(key: string, labels: Labels): T {
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = this.create(labels)));
    return entry;
  }
  sorted(compare: (a: T, b: T) => number): T[] {
    return [...this.entries.values()].sort(compare);
  }
}

const noDeliveries = (): DeliveryCounters => ({ delivered: 0, retried: 0, deadLettered: 0, failed: 0, backlog: 0 });

/**
 * Reads the broker and source metrics of `namespace` (undefined: every namespace) into one document;
 * `sourceResources` (every source resource) adds sources without traffic and their readiness.
 */
export async function collectStats(metrics: BrokerMetrics, namespace: string | undefined, sourceResources?: readonly Resource[]): Promise<StatsDocument> {
  const samplesOf = async (metric: { get(): Promise<{ values: Sample[] }> }) =>
    (await metric.get()).values.filter((sample) => namespace === undefined || sample.labels.namespace === namespace);
  const channelOf = (labels: Labels) => (String(labels.broker).startsWith(CHANNEL_LABEL_PREFIX) ? String(labels.broker).slice(CHANNEL_LABEL_PREFIX.length) : undefined);

  const brokers = new Tally<BrokerStats>((labels) => ({ namespace: String(labels.namespace), name: String(labels.broker), received: 0, replies: 0, dropped: 0, latency: { count: 0, sumSeconds: 0 } }));
  const channels = new Tally<ChannelStats>((labels) => ({ namespace: String(labels.namespace), name: String(labels.channel), received: 0, latency: { count: 0, sumSeconds: 0 } }));
  const triggers = new Tally<TriggerStats>((labels) => ({ namespace: String(labels.namespace), broker: String(labels.broker), name: String(labels.trigger), ...noDeliveries() }));
  const subscriptions = new Tally<SubscriptionStats>((labels) => ({ namespace: String(labels.namespace), channel: String(labels.channel), name: String(labels.trigger), ...noDeliveries() }));
  const brokerOf = (labels: Labels) => brokers.of(`${labels.namespace}/${labels.broker}`, labels);

  for (const sample of await samplesOf(metrics.received)) brokerOf(sample.labels).received += sample.value;
  for (const sample of await samplesOf(metrics.replies)) brokerOf(sample.labels).replies += sample.value;
  for (const sample of await samplesOf(metrics.dropped)) brokerOf(sample.labels).dropped += sample.value;
  for (const sample of await samplesOf(metrics.channelReceived)) channels.of(`${sample.labels.namespace}/${sample.labels.channel}`, sample.labels).received += sample.value;
  for (const sample of await samplesOf(metrics.latency)) {
    const channel = channelOf(sample.labels);
    const latency = channel === undefined ? brokerOf(sample.labels).latency : channels.of(`${sample.labels.namespace}/${channel}`, { ...sample.labels, channel }).latency;
    if (sample.metricName?.endsWith('_count')) latency.count += sample.value;
    else if (sample.metricName?.endsWith('_sum')) latency.sumSeconds += sample.value;
  }

  const deliveryCounters = [
    ['delivered', metrics.delivered],
    ['retried', metrics.retried],
    ['deadLettered', metrics.deadLettered],
    ['failed', metrics.failed],
    ['backlog', metrics.backlog],
  ] as const;
  for (const [field, metric] of deliveryCounters) {
    for (const { labels, value } of await samplesOf(metric)) {
      const channel = channelOf(labels);
      const entry =
        channel === undefined
          ? triggers.of(`${labels.namespace}/${labels.broker}/${labels.trigger}`, labels)
          : subscriptions.of(`${labels.namespace}/${channel}/${labels.trigger}`, { ...labels, channel });
      entry[field] += value;
    }
  }

  const rejected: Record<string, number> = {};
  for (const sample of await samplesOf(metrics.rejected)) {
    const code = String(sample.labels.code);
    rejected[code] = (rejected[code] ?? 0) + sample.value;
  }

  const byName = <T extends { namespace: string; name: string }>(a: T, b: T) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
  const brokerList = brokers.sorted(byName);
  const channelList = channels.sorted(byName);
  const triggerList = triggers.sorted(byName);
  const subscriptionList = subscriptions.sorted(byName);
  const deliveries = [...triggerList, ...subscriptionList];
  const sources = await collectSourceStats(metrics.registry, namespace, sourceResources);
  const sum = <T>(items: T[], pick: (item: T) => number) => items.reduce((total, item) => total + pick(item), 0);
  return {
    apiVersion: 'junction.dev/v1',
    kind: 'Stats',
    namespace: namespace ?? '*',
    brokers: brokerList,
    triggers: triggerList,
    channels: channelList,
    subscriptions: subscriptionList,
    sources,
    rejected,
    totals: {
      received: sum(brokerList, (b) => b.received),
      channelReceived: sum(channelList, (c) => c.received),
      dropped: sum(brokerList, (b) => b.dropped),
      delivered: sum(deliveries, (d) => d.delivered),
      retried: sum(deliveries, (d) => d.retried),
      deadLettered: sum(deliveries, (d) => d.deadLettered),
      failed: sum(deliveries, (d) => d.failed),
      backlog: sum(deliveries, (d) => d.backlog),
      rejected: sum(Object.values(rejected), (n) => n),
      sourceEvents: sum(sources, (s) => s.events),
      sourcesRefused: sum(sources, (s) => s.refused),
    },
  };
}
