import type { FieldProblem } from '../../core/errors.js';
import type { KindDefinition, Resource } from '../../core/resources/index.js';
import { KAFKA_TOPIC_NAME } from '../../channels/index.js';
import { validateDeliverySpec, type DeliverySpec } from '../delivery/index.js';
import { validateDeletionPolicy } from './deletion-policy.js';
import { deliverySchema, kReferenceSchema } from './duck-schemas.js';

/** Annotation choosing a broker's channel engine (`sqlite`, `memory`, later `kafka`, `nats`, `rabbitmq`). */
export const CHANNEL_ANNOTATION = 'junction.dev/channel';
/** Knative's broker class annotation; Junction accepts the classes Knative users write. */
export const BROKER_CLASS_ANNOTATION = 'eventing.knative.dev/broker.class';
/** Knative's Kafka broker annotation: use this existing topic (never created nor deleted by the broker). */
export const EXTERNAL_TOPIC_ANNOTATION = 'kafka.eventing.knative.dev/external.topic';

/** `spec` of eventing.knative.dev/v1 Broker. */
export interface BrokerSpec {
  config?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
  delivery?: DeliverySpec;
}

/** Broker classes Knative users write, and the Junction channel each maps to (undefined: the configured default). */
const brokerClasses: Record<string, string | undefined> = {
  MTChannelBasedBroker: undefined,
  Junction: undefined,
  Kafka: 'kafka',
  KafkaNamespaced: 'kafka',
  RabbitMQBroker: 'rabbitmq',
};

/** The channel kind a broker asks for, or undefined for the configured default. */
export function requestedChannelKind(resource: Resource): string | undefined {
  const annotations = resource.metadata.annotations ?? {};
  if (annotations[CHANNEL_ANNOTATION]) return annotations[CHANNEL_ANNOTATION];
  const brokerClass = annotations[BROKER_CLASS_ANNOTATION];
  return brokerClass ? brokerClasses[brokerClass] : undefined;
}

/** eventing.knative.dev/v1 Broker: an addressable event mesh entry point backed by one channel. */
export const brokerKind: KindDefinition = {
  group: 'eventing.knative.dev',
  versions: ['v1'],
  kind: 'Broker',
  plural: 'brokers',
  singular: 'broker',
  shortNames: ['brk'],
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        default: {},
        properties: {
          config: {
            type: 'object',
            properties: { ...kReferenceSchema.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' } },
          },
          delivery: deliverySchema,
        },
      },
    },
  },
  // Knative: the class and spec.config choose the implementation; changing them is not atomic and
  // would lose events, so the broker must be re-created. Junction's engine and external topic alike.
  immutableFields: [
    ['metadata', 'annotations', BROKER_CLASS_ANNOTATION],
    ['metadata', 'annotations', CHANNEL_ANNOTATION],
    ['metadata', 'annotations', EXTERNAL_TOPIC_ANNOTATION],
    ['spec', 'config'],
  ],
  defaults(resource) {
    const annotations = (resource.metadata.annotations ??= {});
    annotations[BROKER_CLASS_ANNOTATION] ??= 'MTChannelBasedBroker';
  },
  validate(resource) {
    const problems: FieldProblem[] = [];
    const spec = (resource.spec ?? {}) as BrokerSpec;
    if (spec.delivery !== undefined) problems.push(...validateDeliverySpec(spec.delivery, 'spec.delivery'));
    const annotations = resource.metadata.annotations ?? {};
    const brokerClass = annotations[BROKER_CLASS_ANNOTATION];
    if (brokerClass && !(brokerClass in brokerClasses)) {
      problems.push({ path: `metadata.annotations.${BROKER_CLASS_ANNOTATION}`, message: `unknown broker class "${brokerClass}" (known: ${Object.keys(brokerClasses).join(', ')})` });
    }
    problems.push(...validateDeletionPolicy(resource));
    const externalTopic = annotations[EXTERNAL_TOPIC_ANNOTATION];
    if (externalTopic !== undefined && !KAFKA_TOPIC_NAME.test(externalTopic)) {
      problems.push({ path: `metadata.annotations.${EXTERNAL_TOPIC_ANNOTATION}`, message: 'must be a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)' });
    }
    return problems;
  },
};
