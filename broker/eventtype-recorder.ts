import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { EventRecorder, type ResourceService } from '../core/resources/index.js';
import { isJunctionError } from '../core/errors.js';
import type { BrokerMetrics } from './metrics.js';
import type { BrokerPlane } from './runtime/broker-plane.js';
import { AUTO_EVENTTYPE_LABEL, eventTypeKind } from './resources/eventtype-kind.js';
import type { Quotas } from './tenants/quotas.js';

const MAX_KNOWN_PER_BROKER = 10_000;

/**
 * The name of the EventType recorded for (type, source, dataschema) on a broker: the recorder and
 * sources declaring their types in advance use the same one, so a type is recorded once.
 */
export function recordedEventTypeName(broker: string, type: string, source: string, schema?: string): string {
  const digest = createHash('sha256').update(`${type}\u0000${source}\u0000${schema ?? ''}`).digest('hex');
  return `et-${broker}-${digest.slice(0, 12)}`.slice(0, 253);
}

/** What bounds the recordings, and where a recording that was not made is reported. */
export interface EventTypeRecording {
  quotas: Quotas;
  metrics: BrokerMetrics;
  /** Gets a Warning on the Broker (`junction describe broker`) for each recording not made. */
  events: EventRecorder;
}

/**
 * Records an EventType per (broker, type, source, dataschema) the first time one flows, so users can
 * discover what flows. Recordings count as the namespace's resources: none is made once the namespace
 * holds `maxRecordedEventTypes` EventTypes or `maxResources` resources; each one skipped is counted
 * in `junction_eventtypes_not_recorded_total` and reported on the Broker.
 */
export function recordEventTypes(plane: BrokerPlane, resources: ResourceService, logger: Logger, recording: EventTypeRecording): () => void {
  const known = new Map<string, Set<string>>();
  return plane.onIngest((broker, events) => {
    const brokerKey = `${broker.namespace}/${broker.name}`;
    let seen = known.get(brokerKey);
    if (!seen) known.set(brokerKey, (seen = new Set()));
    for (const event of events) {
      const schema = typeof event.dataschema === 'string' ? event.dataschema : undefined;
      // Remembered by digest: the attributes themselves may be long.
      const digest = createHash('sha256').update(`${event.type}\u0000${event.source}\u0000${schema ?? ''}`).digest('hex');
      if (seen.has(digest) || seen.size >= MAX_KNOWN_PER_BROKER) continue;
      seen.add(digest);
      const name = recordedEventTypeName(broker.name, event.type, event.source, schema);
      if (resources.store.get(resources.keyOf(eventTypeKind, broker.namespace, name))) continue;
      const refusal = refusalOf(resources, recording.quotas, broker.namespace);
      if (refusal) {
        recording.metrics.eventTypesNotRecorded.inc({ namespace: broker.namespace, broker: broker.name, reason: refusal.reason });
        // One message for every type skipped, so repeats add to its count instead of pushing the Broker's other events out.
        recording.events.record(EventRecorder.key(broker.namespace, 'Broker', broker.name), 'Warning', 'EventTypeNotRecorded', `new event types are not recorded as EventTypes: ${refusal.message}`);
        logger.debug({ broker: brokerKey, type: event.type, reason: refusal.reason }, 'EventType not recorded');
        continue;
      }
      const spec: Record<string, unknown> = { type: event.type, source: event.source, broker: broker.name, reference: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: broker.name } };
      if (schema) spec.schema = schema;
      try {
        resources.write(
          { apiVersion: 'eventing.knative.dev/v1beta2', kind: 'EventType', metadata: { name, namespace: broker.namespace, labels: { [AUTO_EVENTTYPE_LABEL]: 'true' } }, spec },
          'apply',
          broker.namespace,
          { system: true },
        );
      } catch (error) {
        logger.debug({ broker: brokerKey, type: event.type, err: (error as Error).message }, 'EventType not recorded');
      }
    }
  });
}

/** Why the namespace may not get one more recorded EventType, if it may not. */
function refusalOf(resources: ResourceService, quotas: Quotas, namespace: string): { reason: 'eventtype-limit' | 'resource-quota'; message: string } | undefined {
  const { maxRecordedEventTypes } = quotas.limits(namespace);
  if (maxRecordedEventTypes !== undefined) {
    const held = resources.store.count(namespace, eventTypeKind);
    if (held >= maxRecordedEventTypes) return { reason: 'eventtype-limit', message: `namespace ${namespace} holds ${held} EventTypes (maxRecordedEventTypes ${maxRecordedEventTypes})` };
  }
  try {
    quotas.checkResourceCount(namespace, resources.store.count(namespace));
  } catch (error) {
    if (isJunctionError(error)) return { reason: 'resource-quota', message: error.message };
    throw error;
  }
  return undefined;
}
