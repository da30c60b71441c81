import { eventTypeKind, recordedEventTypeName } from '../../broker/index.js';
import type { Resource, ResourceService } from '../../core/resources/index.js';

/** Label on the EventTypes a source declared: `<Kind>.<name>` of the source that emits them. */
export const SOURCE_EVENTTYPE_LABEL = 'sources.junction.dev/source';
/** At most this many EventTypes per source (a spec listing hundreds of event names gets the first ones). */
const MAX_DECLARED = 50;

/** An event type a source will emit, known before the first event (Knative's sources register theirs). */
export interface DeclaredEventType {
  type: string;
  source: string;
  description?: string;
}

/** The name of a source in its EventTypes' label value. */
function labelValue(kind: string, name: string): string {
  return `${kind}.${name}`.slice(0, 63);
}

/**
 * Records the EventTypes a source declares on the broker its sink names, so `junction get eventtypes`
 * shows what can be subscribed to before anything flowed, and forgets the ones it no longer
 * declares. Only for a sink `ref` to a Broker of the source's namespace (another sink has no broker
 * to record them on). Named as the broker's recorder names them: one EventType per type and source.
 */
export function declareEventTypes(resources: ResourceService, source: Resource, declared: readonly DeclaredEventType[]): void {
  const namespace = source.metadata.namespace ?? 'default';
  const label = labelValue(source.kind, source.metadata.name);
  const sink = (source.spec as { sink?: { ref?: { kind?: string; name?: string; namespace?: string }; uri?: string } } | undefined)?.sink;
  const broker = sink?.ref?.kind === 'Broker' && sink.uri === undefined && (sink.ref.namespace ?? namespace) === namespace ? sink.ref.name : undefined;
  const wanted = new Map<string, DeclaredEventType>();
  if (broker !== undefined) for (const entry of declared.slice(0, MAX_DECLARED)) wanted.set(recordedEventTypeName(broker, entry.type, entry.source), entry);
  for (const existing of resources.list(eventTypeKind, namespace, `${SOURCE_EVENTTYPE_LABEL}=${label}`)) {
    if (!wanted.has(existing.metadata.name)) resources.delete(eventTypeKind, namespace, existing.metadata.name);
  }
  for (const [name, entry] of wanted) {
    if (resources.store.get(resources.keyOf(eventTypeKind, namespace, name))) continue;
    resources.write(
      {
        apiVersion: 'eventing.knative.dev/v1beta2',
        kind: 'EventType',
        metadata: { name, namespace, labels: { [SOURCE_EVENTTYPE_LABEL]: label } },
        spec: { type: entry.type, source: entry.source, broker, reference: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: broker }, description: entry.description ?? `emitted by ${source.kind} ${source.metadata.name}` },
      },
      'apply',
      namespace,
      { system: true },
    );
  }
}

/** Deletes the EventTypes a deleted source declared. */
export function forgetEventTypes(resources: ResourceService, namespace: string, kind: string, name: string): void {
  for (const existing of resources.list(eventTypeKind, namespace, `${SOURCE_EVENTTYPE_LABEL}=${labelValue(kind, name)}`)) resources.delete(eventTypeKind, namespace, existing.metadata.name);
}
