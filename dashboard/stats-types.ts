/** Delivery time measured by the latency histogram: how many deliveries, and their summed seconds. */
export interface LatencyStats {
  count: number;
  sumSeconds: number;
}

/** Counters of one broker since Junction started. */
export interface BrokerStats {
  namespace: string;
  name: string;
  received: number;
  replies: number;
  dropped: number;
  /** Deliveries measured by the latency histogram, and their summed latency in seconds. */
  latency: LatencyStats;
}

/** The delivery counters a trigger and a subscription share, and the current backlog. */
export interface DeliveryCounters {
  delivered: number;
  retried: number;
  deadLettered: number;
  failed: number;
  backlog: number;
}

/** Counters of one trigger since Junction started, and its current backlog. */
export interface TriggerStats extends DeliveryCounters {
  namespace: string;
  broker: string;
  name: string;
}

/** Counters of one messaging channel (Channel, InMemoryChannel, KafkaChannel) since Junction started. */
export interface ChannelStats {
  namespace: string;
  name: string;
  /** Events made durable by the channel's ingress. */
  received: number;
  /** Deliveries of its subscriptions measured by the latency histogram. */
  latency: LatencyStats;
}

/** Counters of one Subscription since Junction started (keyed by the channel it reads). */
export interface SubscriptionStats extends DeliveryCounters {
  namespace: string;
  channel: string;
  name: string;
}

/** Sums over everything a stats answer covers. */
export interface StatsTotals extends DeliveryCounters {
  /** Events made durable by broker ingress (and replies). */
  received: number;
  /** Events made durable by channel ingress. */
  channelReceived: number;
  dropped: number;
  rejected: number;
}

/** The answer of the stats endpoint: one namespace (or all of them), read from the broker metrics. */
export interface StatsDocument {
  apiVersion: 'junction.dev/v1';
  kind: 'Stats';
  /** The namespace covered, or `*` for all namespaces. */
  namespace: string;
  brokers: BrokerStats[];
  triggers: TriggerStats[];
  channels: ChannelStats[];
  subscriptions: SubscriptionStats[];
  /** Ingress refusals by problem code (they have no broker label). */
  rejected: Record<string, number>;
  /** Delivery counters (delivered … backlog) sum triggers and subscriptions. */
  totals: StatsTotals;
}
