import type { Registry } from 'prom-client';
import type { Resource } from '../core/resources/index.js';
import type { SourceReadiness, SourceStats, WebhookRequestCounts } from './stats-types.js';

/**
 * The source metrics, read by name from the shared registry: the sources module registers them
 * (sources/framework/metrics.ts), and the dashboard may not import it.
 */
export const SOURCE_EVENTS_METRIC = 'junction_source_events_total';
export const SOURCE_WEBHOOKS_METRIC = 'junction_source_webhook_requests_total';

/** The `outcome` label values of the webhook counter, and the field each one is counted in. */
const OUTCOME_FIELDS: Record<string, keyof WebhookRequestCounts> = {
  accepted: 'accepted',
  duplicate: 'duplicate',
  handshake: 'handshake',
  refused_missing: 'refusedMissing',
  refused_invalid: 'refusedInvalid',
  refused_stale: 'refusedStale',
  payload_invalid: 'payloadInvalid',
  not_ready: 'notReady',
  sink_failed: 'sinkFailed',
};

type Labels = Partial<Record<string, string | number>>;
type Readable = { get(): Promise<{ values: Array<{ value: number; labels: Labels }> }> };

const noRequests = (): WebhookRequestCounts => ({ accepted: 0, duplicate: 0, handshake: 0, refusedMissing: 0, refusedInvalid: 0, refusedStale: 0, payloadInvalid: 0, notReady: 0, sinkFailed: 0 });

/** The key of one source in lookups and in the history: kinds may share a name. */
export const sourceKey = (source: { namespace: string; kind: string; name: string }) => `${source.namespace}/${source.kind}/${source.name}`;

function readinessOf(resource: Resource): SourceReadiness | undefined {
  const ready = resource.status?.conditions?.find((condition) => condition.type === 'Ready');
  return ready ? { status: ready.status, ...(ready.reason ? { reason: ready.reason } : {}), ...(ready.message ? { message: ready.message } : {}) } : undefined;
}

/**
 * The counters of every source of `namespace` (undefined: all namespaces). With `resources` (every
 * source resource), the answer lists exactly the sources that exist — those without traffic too —
 * with their Ready condition and URL; without, the sources that have counts.
 */
export async function collectSourceStats(registry: Registry, namespace: string | undefined, resources?: readonly Resource[]): Promise<SourceStats[]> {
  const inView = (candidate: unknown) => namespace === undefined || candidate === namespace;
  const entries = new Map<string, SourceStats>();
  const entryOf = (labels: { namespace: string; kind: string; name: string }) => {
    const key = sourceKey(labels);
    let entry = entries.get(key);
    if (!entry) entries.set(key, (entry = { ...labels, events: 0, requests: noRequests(), refused: 0 }));
    return entry;
  };
  const samplesOf = async (name: string) => {
    const metric = registry.getSingleMetric(name) as Readable | undefined;
    return metric ? (await metric.get()).values.filter((sample) => inView(sample.labels.namespace)) : [];
  };
  const labelsOf = (labels: Labels) => ({ namespace: String(labels.namespace), kind: String(labels.kind), name: String(labels.source) });

  for (const { labels, value } of await samplesOf(SOURCE_EVENTS_METRIC)) entryOf(labelsOf(labels)).events += value;
  for (const { labels, value } of await samplesOf(SOURCE_WEBHOOKS_METRIC)) {
    const field = OUTCOME_FIELDS[String(labels.outcome)];
    if (field) entryOf(labelsOf(labels)).requests[field] += value;
  }

  let listed = [...entries.values()];
  if (resources) {
    const existing = new Map<string, SourceStats>();
    for (const resource of resources) {
      const labels = { namespace: resource.metadata.namespace ?? 'default', kind: resource.kind, name: resource.metadata.name };
      // The same kind served under two API groups is one set of series: the first resource listed stands for it.
      if (!inView(labels.namespace) || existing.has(sourceKey(labels))) continue;
      const entry = entryOf(labels);
      const ready = readinessOf(resource);
      const url = resource.status?.url;
      existing.set(sourceKey(labels), { ...entry, ...(ready ? { ready } : {}), ...(typeof url === 'string' ? { url } : {}) });
    }
    listed = [...existing.values()];
  }
  for (const entry of listed) entry.refused = entry.requests.refusedMissing + entry.requests.refusedInvalid + entry.requests.refusedStale;
  return listed.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
}
