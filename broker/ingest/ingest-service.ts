import { adoptTraceContext, type CloudEvent, type HttpHeaders } from '../../core/cloudevent/index.js';
import { createError, isJunctionError } from '../../core/errors.js';
import type { BrokerMetrics } from '../metrics.js';
import type { ChannelPlane } from '../messaging/channel-plane.js';
import type { BrokerPlane } from '../runtime/broker-plane.js';
import type { Quotas } from '../tenants/quotas.js';
import type { IngressTarget } from './own-ingress.js';

/** What the ingest service needs: the planes that hold brokers and channels, quotas and metrics. */
export interface IngestServiceDependencies {
  plane: BrokerPlane;
  channels: ChannelPlane;
  quotas: Quotas;
  metrics: BrokerMetrics;
}

/** How the events of one ingest arrived, when they came over HTTP. */
export interface IngestOptions {
  /** The request's headers: events without their own trace context adopt its `traceparent`/`tracestate`. */
  traceHeaders?: HttpHeaders;
  /** Each event's size as received (binary mode: the body), for the event-size quota; default: its JSON form. */
  eventBytes?: number[];
}

/**
 * Makes events durable in a broker or channel with every rule of ingress except auth and HTTP
 * parsing: target lookup, event-size and rate quotas, trace context, durable append, and a
 * `junction_events_rejected_total` count on refusal. HTTP ingress calls it after checking the
 * token; an in-process caller (a source, a flow step) is authorised by living in the namespace.
 * The service takes over the events it is given (it stamps them): callers hand in copies they
 * do not use afterwards.
 */
export class IngestService {
  constructor(private readonly deps: IngestServiceDependencies) {}

  /** Ingests into broker `namespace/broker`; resolves once every event is durable, else stores none of them. */
  async toBroker(namespace: string, broker: string, events: CloudEvent[], options: IngestOptions = {}): Promise<void> {
    await this.refusalsCounted(namespace, async () => {
      this.checkBroker(namespace, broker);
      this.admit(namespace, events, options);
      await this.deps.plane.ingest(namespace, broker, events);
    });
  }

  /** Ingests into channel `namespace/name` (Channel, InMemoryChannel, KafkaChannel); resolves once durable. */
  async toChannel(namespace: string, name: string, events: CloudEvent[], options: IngestOptions = {}): Promise<void> {
    await this.refusalsCounted(namespace, async () => {
      this.checkChannel(namespace, name);
      this.admit(namespace, events, options);
      await this.deps.channels.ingest(namespace, name, events);
    });
  }

  /** Ingests into the broker or channel `target` names (see ownIngressTarget). */
  into(target: IngressTarget, events: CloudEvent[], options?: IngestOptions): Promise<void> {
    return target.kind === 'broker' ? this.toBroker(target.namespace, target.name, events, options) : this.toChannel(target.namespace, target.name, events, options);
  }

  /** Throws JUNCTION_BROKER_NOT_FOUND / _NOT_READY unless the broker can take events now (counts nothing). */
  checkBroker(namespace: string, broker: string): void {
    const instance = this.deps.plane.get(namespace, broker);
    if (!instance) throw createError('JUNCTION_BROKER_NOT_FOUND', `broker ${namespace}/${broker} does not exist`);
    if (!instance.dispatcher) throw createError('JUNCTION_BROKER_NOT_READY', `broker ${namespace}/${broker} is not ready: ${instance.notReady?.message ?? 'starting'}`);
  }

  /** Throws JUNCTION_CHANNEL_NOT_FOUND unless the channel exists (readiness is checked at append; counts nothing). */
  checkChannel(namespace: string, name: string): void {
    if (!this.deps.channels.get(namespace, name)) throw createError('JUNCTION_CHANNEL_NOT_FOUND', `channel ${namespace}/${name} does not exist`);
  }

  /** Counts one refused ingest by problem code (for refusals found before the service was called, e.g. auth, parsing). */
  countRefusal(namespace: string, error: unknown): void {
    const { metrics } = this.deps;
    // Only namespaces that exist become label values: made-up ones all count as one.
    metrics.rejected.inc({ namespace: metrics.refusalNamespace(namespace), code: isJunctionError(error) ? error.code : 'JUNCTION_INTERNAL' });
  }

  private async refusalsCounted(namespace: string, ingest: () => Promise<void>): Promise<void> {
    try {
      await ingest();
    } catch (error) {
      this.countRefusal(namespace, error);
      throw error;
    }
  }

  /** Quotas (size, then rate) and trace context, in the order ingress has always applied them. */
  private admit(namespace: string, events: CloudEvent[], options: IngestOptions): void {
    const { quotas } = this.deps;
    if (quotas.limits(namespace).maxEventBytes !== undefined) {
      events.forEach((event, index) => quotas.checkEventSize(namespace, options.eventBytes?.[index] ?? Buffer.byteLength(JSON.stringify(event))));
    }
    quotas.takeIngest(namespace, events.length);
    if (options.traceHeaders) adoptTraceContext(events, options.traceHeaders);
  }
}
