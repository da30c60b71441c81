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

/** Webhook requests to a push source since Junction started, by outcome (`junction_source_webhook_requests_total`). */
export interface WebhookRequestCounts {
  accepted: number;
  duplicate: number;
  /** Provider handshakes answered (URL verification, subscription confirmation). */
  handshake: number;
  /** Refused: no signature or credentials. */
  refusedMissing: number;
  /** Refused: a signature or credentials that do not match (a forgery, or a rotated secret). */
  refusedInvalid: number;
  /** Refused: a timestamp outside the replay window. */
  refusedStale: number;
  payloadInvalid: number;
  notReady: number;
  sinkFailed: number;
}

/** The Ready condition of a source, as its resource reports it. */
export interface SourceReadiness {
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** One source (any kind) since Junction started, read from the source metrics (and its resource when known). */
export interface SourceStats {
  namespace: string;
  name: string;
  kind: string;
  /** Events the source handed to its sink and the sink accepted (`junction_source_events_total`). */
  events: number;
  /** Webhook requests by outcome (all zero for sources that are not pushed to). */
  requests: WebhookRequestCounts;
  /** Requests refused for their signature: `refusedMissing + refusedInvalid + refusedStale`. */
  refused: number;
  /** The Ready condition; absent when the dashboard was given no source list, or the source has none yet. */
  ready?: SourceReadiness;
  /** Where a push source takes webhooks (`status.url`). */
  url?: string;
}

/** Sums over everything a stats answer covers. */
export interface StatsTotals extends DeliveryCounters {
  /** Events made durable by broker ingress (and replies). */
  received: number;
  /** Events made durable by channel ingress. */
  channelReceived: number;
  dropped: number;
  rejected: number;
  /** Events emitted by sources. */
  sourceEvents: number;
  /** Webhook requests refused for their signature, over all sources. */
  sourcesRefused: number;
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
  /** Sources: existing ones when the dashboard knows them (with readiness), else those with counts. */
  sources: SourceStats[];
  /** Ingress refusals by problem code (they have no broker label). */
  rejected: Record<string, number>;
  /** Delivery counters (delivered … backlog) sum triggers and subscriptions. */
  totals: StatsTotals;
}
