import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the broker data plane, on one registry served at /metrics. */
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

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'junction_' });
  }
}
