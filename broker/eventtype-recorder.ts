import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { ResourceService } from '../core/resources/index.js';
import type { BrokerPlane } from './runtime/broker-plane.js';
import { AUTO_EVENTTYPE_LABEL, eventTypeKind } from './resources/eventtype-kind.js';

const MAX_KNOWN_PER_BROKER = 10_000;

/** Records an EventType per (broker, type, source, dataschema) the first time one flows, so users can discover what flows. */
export function recordEventTypes(plane: BrokerPlane, resources: ResourceService, logger: Logger): () => void {
  const known = new Map<string, Set<string>>();
  return plane.onIngest((broker, events) => {
    const brokerKey = `${broker.namespace}/${broker.name}`;
    let seen = known.get(brokerKey);
    if (!seen) known.set(brokerKey, (seen = new Set()));
    for (const event of events) {
      const schema = typeof event.dataschema === 'string' ? event.dataschema : undefined;
      const id = `${event.type}\u0000${event.source}\u0000${schema ?? ''}`;
      if (seen.has(id) || seen.size >= MAX_KNOWN_PER_BROKER) continue;
      seen.add(id);
      const name = `et-${broker.name}-${createHash('sha256').update(id).digest('hex').slice(0, 12)}`.slice(0, 253);
      if (resources.store.get(resources.keyOf(eventTypeKind, broker.namespace, name))) continue;
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
