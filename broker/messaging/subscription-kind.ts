import type { FieldProblem } from '../../core/errors.js';
import type { KindDefinition } from '../../core/resources/index.js';
import { validateDeliverySpec, type DeliverySpec } from '../delivery/index.js';
import { refNamespaceProblems, validateDestination, type Destination } from '../resources/destination.js';
import { deliverySchema, destinationSchema, kReferenceSchema } from '../resources/duck-schemas.js';

/** `spec` of messaging.knative.dev/v1 Subscription. */
export interface SubscriptionSpec {
  channel: { apiVersion: string; kind: string; name: string };
  subscriber?: Destination;
  reply?: Destination;
  delivery?: DeliverySpec;
}

/** messaging.knative.dev/v1 Subscription: every event of a channel to a subscriber, its replies to `reply`. */
export const subscriptionKind: KindDefinition = {
  group: 'messaging.knative.dev',
  versions: ['v1'],
  kind: 'Subscription',
  plural: 'subscriptions',
  singular: 'subscription',
  shortNames: ['sub'],
  schema: {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: {
        type: 'object',
        required: ['channel'],
        properties: {
          channel: {
            type: 'object',
            required: ['apiVersion', 'kind', 'name'],
            properties: { ...kReferenceSchema.properties, apiVersion: { type: 'string', minLength: 1 }, kind: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } },
          },
          subscriber: destinationSchema,
          reply: destinationSchema,
          delivery: deliverySchema,
        },
      },
    },
  },
  // Knative: only subscriber and reply may change. Junction also applies a changed delivery in place.
  immutableFields: [['spec', 'channel']],
  validate(resource) {
    const spec = resource.spec as unknown as SubscriptionSpec;
    const problems: FieldProblem[] = [];
    if (spec.subscriber === undefined && spec.reply === undefined) problems.push({ path: 'spec', message: 'expected at least one of subscriber, reply' });
    const namespace = resource.metadata.namespace ?? 'default';
    if (spec.subscriber !== undefined) problems.push(...validateDestination(spec.subscriber, 'spec.subscriber', namespace));
    if (spec.reply !== undefined) problems.push(...validateDestination(spec.reply, 'spec.reply', namespace));
    if (spec.delivery !== undefined) {
      problems.push(...validateDeliverySpec(spec.delivery, 'spec.delivery'), ...refNamespaceProblems(spec.delivery.deadLetterSink, 'spec.delivery.deadLetterSink', namespace));
    }
    return problems;
  },
};
