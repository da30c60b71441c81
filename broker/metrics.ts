import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The `namespace` label of refusals for a namespace that holds no broker or channel: names that come
 * from a request's path alone never become label values (`_` cannot start a namespace name).
 */
export const UNKNOWN_NAMESPACE_LABEL = '_unknown';

/**
 * A Subscription's deliveries are counted with the trigger counters, labelled
 * `broker="channel:<channel name>"` and `trigger="<subscription name>"`. Kubernetes names cannot
 * contain `:`, so no broker is ever mistaken for a channel.
 */
export const CHANNEL_LABEL_PREFIX = 'channel:';

type LabelMatch = Record<string, string>;

/**
 * Prometheus metrics of the broker data plane, on one registry served at /metrics. Every label value
 * names something that exists: series of a deleted broker, trigger, channel or subscription are
 * forgotten with it, so the number of series is bounded by the resources, never by requests.
 */
export class BrokerMetrics {
  readonly registry = new Registry();
  readonly received = new Counter({ name: 'junction_events_received_total', help: 'Events accepted durably by ingress', labelNames: ['namespace', 'broker'], registers: [this.registry] });
  readonly channelReceived = new Counter({ name: 'junction_channel_events_received_total', help: 'Events accepted durably by channel ingress', labelNames: ['namespace', 'channel'], registers: [this.registry] });
  readonly rejected = new Counter({ name: 'junction_events_rejected_total', help: 'Ingress requests refused, by problem code', labelNames: ['namespace', 'code'], registers: [this.registry] });
  readonly delivered = new Counter({ name: 'junction_events_delivered_total', help: 'Events a subscriber accepted', labelNames: ['namespace', 'broker', 'trigger'], registers: [this.registry] });
  readonly retried = new Counter({ name: 'junction_events_retried_total', help: 'Delivery attempts that were retried', labelNames: ['namespace', 'broker', 'trigger'], registers: [this.registry] });
  readonly deadLettered = new Counter({ name: 'junction_events_dead_lettered_total', help: 'Events sent to a dead-letter sink after retries', labelNames: ['namespace', 'broker', 'trigger'], registers: [this.registry] });
  readonly failed = new Counter({ name: 'junction_events_failed_total', help: 'Events given up on with no (working) dead-letter sink', labelNames: ['namespace', 'broker', 'trigger'], registers: [this.registry] });
  readonly dropped = new Counter({ name: 'junction_events_dropped_total', help: 'Events dropped (reply TTL exhausted)', labelNames: ['namespace', 'broker', 'reason'], registers: [this.registry] });
  readonly replies = new Counter({ name: 'junction_replies_total', help: 'Reply events published back into a broker', labelNames: ['namespace', 'broker'], registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'junction_delivery_latency_seconds',
    help: 'From arrival in the broker to the subscriber accepting the event',
    labelNames: ['namespace', 'broker'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly backlog = new Gauge({ name: 'junction_trigger_backlog', help: 'Events routed to a trigger and not yet delivered or dead-lettered', labelNames: ['namespace', 'broker', 'trigger'], registers: [this.registry] });
  readonly eventTypesNotRecorded = new Counter({
    name: 'junction_eventtypes_not_recorded_total',
    help: 'New (type, source, schema) combinations not recorded as an EventType, by reason (eventtype-limit, resource-quota)',
    labelNames: ['namespace', 'broker', 'reason'],
    registers: [this.registry],
  });
  private readonly namespaceInUse: (namespace: string) => boolean;

  /** `namespaceInUse` tells whether a namespace holds a broker or channel (default: every one does). */
  constructor(options: { defaultMetrics?: boolean; namespaceInUse?: (namespace: string) => boolean } = {}) {
    this.namespaceInUse = options.namespaceInUse ?? (() => true);
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'junction_' });
  }

  /** The `namespace` label of a refused request: the namespace when it holds a broker or channel, else {@link UNKNOWN_NAMESPACE_LABEL}. */
  refusalNamespace(namespace: string): string {
    return this.namespaceInUse(namespace) ? namespace : UNKNOWN_NAMESPACE_LABEL;
  }

  /**
   * Removes every series whose labels include all of `match` (a deleted broker: `{namespace, broker}`);
   * when the namespace then holds no broker or channel, its remaining series (refusals) go too.
   */
  async forget(match: LabelMatch): Promise<void> {
    await this.removeMatching(match);
    if (match.namespace !== undefined && !this.namespaceInUse(match.namespace)) await this.removeMatching({ namespace: match.namespace });
  }

  private async removeMatching(match: LabelMatch): Promise<void> {
    const entries = Object.entries(match);
    const labelled: Array<Counter | Gauge | Histogram> = [this.received, this.channelReceived, this.rejected, this.delivered, this.retried, this.deadLettered, this.failed, this.dropped, this.replies, this.latency, this.backlog, this.eventTypesNotRecorded];
    for (const metric of labelled) {
      const labelNames = (metric as unknown as { labelNames: string[] }).labelNames;
      if (!entries.every(([name]) => labelNames.includes(name))) continue;
      const { values } = await metric.get();
      const seen = new Set<string>();
      for (const { labels } of values) {
        if (!entries.every(([name, value]) => labels[name] === value)) continue;
        // A histogram reports each series once per bucket (`le`): remove by the metric's own labels.
        const own = Object.fromEntries(labelNames.map((name) => [name, String(labels[name] ?? '')]));
        const key = JSON.stringify(own);
        if (seen.has(key)) continue;
        seen.add(key);
        metric.remove(own);
      }
    }
  }
}
