/** A plotted series: one value per sample time of the document, `null` where there is none. */
export type SeriesValues = Array<number | null>;

/** What the plots show of one broker over the window. */
export interface BrokerHistory {
  namespace: string;
  name: string;
  /** Events/s accepted durably by its ingress during each interval. */
  received: SeriesValues;
  /** Events/s its triggers' subscribers accepted during each interval. */
  delivered: SeriesValues;
  /** 99th percentile of the delivery latency (seconds) of each interval; `null` when nothing was delivered. */
  p99Seconds: SeriesValues;
}

/** What the plots show of one trigger over the window. */
export interface TriggerHistory {
  namespace: string;
  broker: string;
  name: string;
  /** Events/s its subscriber accepted. */
  delivered: SeriesValues;
  /** Delivery attempts/s that failed and were retried. */
  retried: SeriesValues;
  /** Events/s sent to its dead-letter sink after the retries. */
  deadLettered: SeriesValues;
  /** Events/s given up on with no (working) dead-letter sink. */
  failed: SeriesValues;
}

/** What the plots show of one source (any kind) that has counts, over the window. */
export interface SourceHistory {
  namespace: string;
  kind: string;
  name: string;
  /** Events/s it handed to its sink. */
  events: SeriesValues;
  /** Webhook requests/s refused for their signature (missing, invalid or stale): forgeries, or a rotated secret. */
  refused: SeriesValues;
  /** Webhook requests/s that failed otherwise: payload invalid, source not ready, sink failed. */
  failed: SeriesValues;
}

/** The answer of the stats history endpoint: the last 15 minutes of samples of one namespace (or all). */
export interface StatsHistoryDocument {
  apiVersion: 'junction.dev/v1';
  kind: 'StatsHistory';
  /** The namespace covered, or `*` for all namespaces. */
  namespace: string;
  /** Seconds between samples. */
  intervalSeconds: number;
  /** Seconds of history kept. */
  windowSeconds: number;
  /** End of each sampled interval, in Unix seconds, oldest first; every series has one value per time. */
  times: number[];
  brokers: BrokerHistory[];
  triggers: TriggerHistory[];
  sources: SourceHistory[];
}
