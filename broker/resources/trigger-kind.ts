import type { FieldProblem } from '../../core/errors.js';
import type { KindDefinition } from '../../core/resources/index.js';
import { validateDeliverySpec, type DeliverySpec } from '../delivery/index.js';
import { validateTriggerFilter } from '../filters/index.js';
import { refNamespaceProblems, validateDestination, type Destination } from './destination.js';
import { deliverySchema, destinationSchema, openObjectSchema } from './duck-schemas.js';

/** Annotation choosing per-trigger delivery order (Knative's Kafka broker annotation). */
export const DELIVERY_ORDER_ANNOTATION = 'kafka.eventing.knative.dev/delivery.order';

/** `spec` of eventing.knative.dev/v1 Trigger. */
export interface TriggerSpec {
  broker: string;
  filter?: { attributes?: Record<string, string> };
  filters?: unknown[];
  subscriber: Destination;
  delivery?: DeliverySpec;
}

/** eventing.knative.dev/v1 Trigger: a filtered subscription to a broker. */
export const triggerKind: KindDefinition = {
  group: 'eventing.knative.dev',
  versions: ['v1'],
  kind: 'Trigger',
  plural: 'triggers',
  singular: 'trigger',
  shortNames: ['trg'],
  schema: {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: {
        type: 'object',
        required: ['broker', 'subscriber'],
        properties: {
          broker: { type: 'string', minLength: 1 },
          // The filter validation refuses unknown fields itself: a mistyped filter must not match everything.
          filter: openObjectSchema,
          filters: { type: 'array', items: openObjectSchema },
          subscriber: destinationSchema,
          delivery: deliverySchema,
        },
      },
    },
  },
  // A trigger re-pointed at another broker would silently stop getting this broker's events.
  immutableFields: [['spec', 'broker']],
  validate(resource) {
    const problems: FieldProblem[] = [];
    const spec = resource.spec as unknown as TriggerSpec;
    problems.push(...validateTriggerFilter(spec, 'spec'));
    const namespace = resource.metadata.namespace ?? 'default';
    problems.push(...validateDestination(spec.subscriber, 'spec.subscriber', namespace));
    if (spec.delivery !== undefined) {
      problems.push(...validateDeliverySpec(spec.delivery, 'spec.delivery'), ...refNamespaceProblems(spec.delivery.deadLetterSink, 'spec.delivery.deadLetterSink', namespace));
    }
    const order = resource.metadata.annotations?.[DELIVERY_ORDER_ANNOTATION];
    if (order !== undefined && order !== 'ordered' && order !== 'unordered') {
      problems.push({ path: `metadata.annotations.${DELIVERY_ORDER_ANNOTATION}`, message: 'must be "ordered" or "unordered"' });
    }
    return problems;
  },
};
