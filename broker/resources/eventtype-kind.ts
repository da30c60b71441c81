import type { KindDefinition } from '../../core/resources/index.js';
import { kReferenceSchema } from './duck-schemas.js';

/**
 * EventType (v1beta2 as Knative's docs write it, v1beta3 accepted too): a catalog entry of what
 * flows through a broker. Junction records one automatically per (broker, type, source, schema).
 */
export const eventTypeKind: KindDefinition = {
  group: 'eventing.knative.dev',
  versions: ['v1beta2', 'v1beta3', 'v1beta1'],
  kind: 'EventType',
  plural: 'eventtypes',
  singular: 'eventtype',
  shortNames: ['et'],
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        default: {},
        properties: {
          type: { type: 'string' },
          source: { type: 'string' },
          schema: { type: 'string' },
          schemaData: { type: 'string' },
          broker: { type: 'string' },
          description: { type: 'string' },
          reference: { type: 'object', ...kReferenceSchema },
          attributes: { type: 'array' },
        },
      },
    },
  },
};

/** Label Junction puts on EventTypes it recorded itself. */
export const AUTO_EVENTTYPE_LABEL = 'junction.dev/auto-recorded';
