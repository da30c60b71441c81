import { Counter, type Registry } from 'prom-client';

/**
 * Prometheus metrics of sources, on the registry served at /metrics. Label values are the namespace
 * and name of existing sources only (a request to a source that does not exist is not counted here).
 */
export class SourceMetrics {
  readonly emitted: Counter<'namespace' | 'source' | 'kind'>;
  readonly webhooks: Counter<'namespace' | 'source' | 'kind' | 'outcome'>;

  constructor(registry: Registry) {
    this.emitted = new Counter({ name: 'junction_source_events_total', help: 'Events a source handed to its sink and the sink accepted', labelNames: ['namespace', 'source', 'kind'], registers: [registry] });
    this.webhooks = new Counter({
      name: 'junction_source_webhook_requests_total',
      help: 'Webhook requests to push sources by outcome: accepted, duplicate, handshake, refused_missing, refused_invalid, refused_stale, payload_invalid, sink_failed, not_ready',
      labelNames: ['namespace', 'source', 'kind', 'outcome'],
      registers: [registry],
    });
  }

  /** Drops a deleted source's series. */
  forget(namespace: string, source: string, kind: string): void {
    this.emitted.remove({ namespace, source, kind });
    for (const outcome of ['accepted', 'duplicate', 'handshake', 'refused_missing', 'refused_invalid', 'refused_stale', 'payload_invalid', 'sink_failed', 'not_ready']) {
      this.webhooks.remove({ namespace, source, kind, outcome });
    }
  }
}
