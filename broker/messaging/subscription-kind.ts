import type { FieldProblem } from '../../core/errors.js';
import type { KindDefinition } from '../../core/resources/index.js';
import { validateDeliverySpec, type DeliverySpec } from '../delivery/index.js';
import { validateDestination, type Destination } from '../resources/destination.js';

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
            properties: { apiVersion: { type: 'string', minLength: 1 }, kind: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } },
          },
          subscriber: { type: 'object' },
          reply: { type: 'object' },
          delivery: { type: 'object' },
        },
      },
    },
  },
  validate(resource) {
    const spec = resource.spec as unknown as SubscriptionSpec;
    const problems: FieldProblem[] = [];
    if (spec.subscriber === undefined && spec.reply === undefined) problems.push({ path: 'spec', message: 'expected at least one of subscriber, reply' });
    if (spec.subscriber !== undefined) problems.push(...validateDestination(spec.subscriber, 'spec.subscriber'));
    if (spec.reply !== undefined) problems.push(...validateDestination(spec.reply, 'spec.reply'));
    if (spec.delivery !== undefined) problems.push(...validateDeliverySpec(spec.delivery, 'spec.delivery'));
    return problems;
  },
};
