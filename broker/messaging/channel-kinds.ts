import type { FieldProblem } from '../../core/errors.js';
import type { KindDefinition, Resource } from '../../core/resources/index.js';
import { parseDurationMs } from '../../core/duration/index.js';
import { validateDeliverySpec, type DeliverySpec } from '../delivery/index.js';
import { CHANNEL_ANNOTATION } from '../resources/broker-kind.js';
import { validateDeletionPolicy } from '../resources/deletion-policy.js';
import { deliverySchema, openObjectSchema, subscribersSchema } from '../resources/duck-schemas.js';

/** Annotation choosing the engine of a channel directly (`sqlite`, `memory`, `kafka`, `nats`, `rabbitmq`). */
export const CHANNEL_ENGINE_ANNOTATION = CHANNEL_ANNOTATION;

/** What a Channel's `spec.channelTemplate` holds: the kind (and spec) of the backing channel. */
export interface ChannelTemplate {
  apiVersion: string;
  kind: string;
  spec?: Record<string, unknown>;
}

/** `spec` shared by every channel kind: Knative's Channelable duck type (delivery defaults). */
export interface ChannelableSpec {
  delivery?: DeliverySpec;
  /** Channel only: the backing channel to create. */
  channelTemplate?: ChannelTemplate;
  /** KafkaChannel only. */
  numPartitions?: number;
  replicationFactor?: number;
  retentionDuration?: string;
}

const delivery = deliverySchema;
const subscribers = subscribersSchema;
/** The engine annotation picks where a channel's events live: changing it would strand them. */
const engineField = ['metadata', 'annotations', CHANNEL_ENGINE_ANNOTATION];

function validateChannelable(resource: Resource): FieldProblem[] {
  const spec = (resource.spec ?? {}) as ChannelableSpec;
  return [...(spec.delivery === undefined ? [] : validateDeliverySpec(spec.delivery, 'spec.delivery')), ...validateDeletionPolicy(resource)];
}

/** messaging.knative.dev/v1 Channel: a generic channel backed by the kind of its channelTemplate. */
export const channelKind: KindDefinition = {
  group: 'messaging.knative.dev',
  versions: ['v1'],
  kind: 'Channel',
  plural: 'channels',
  singular: 'channel',
  shortNames: ['ch'],
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        default: {},
        properties: {
          channelTemplate: {
            type: 'object',
            required: ['apiVersion', 'kind'],
            properties: { apiVersion: { type: 'string', minLength: 1 }, kind: { type: 'string', minLength: 1 }, spec: openObjectSchema },
          },
          subscribers,
          delivery,
        },
      },
    },
  },
  // Knative: the backing channel kind cannot change (only subscribers; Junction also applies delivery).
  immutableFields: [['spec', 'channelTemplate'], engineField],
  validate(resource) {
    const problems = validateChannelable(resource);
    const template = (resource.spec as ChannelableSpec | undefined)?.channelTemplate;
    if (template && !backingKinds.some((kind) => kind.kind === template.kind && template.apiVersion === `${kind.group}/${kind.versions[0]}`)) {
      problems.push({
        path: 'spec.channelTemplate',
        message: `unsupported channel template ${template.apiVersion} ${template.kind} (supported: ${backingKinds.map((kind) => `${kind.group}/${kind.versions[0]} ${kind.kind}`).join(', ')})`,
      });
    }
    return problems;
  },
};

/** messaging.knative.dev/v1 InMemoryChannel: the `memory` engine (fast, not durable). */
export const inMemoryChannelKind: KindDefinition = {
  group: 'messaging.knative.dev',
  versions: ['v1'],
  kind: 'InMemoryChannel',
  plural: 'inmemorychannels',
  singular: 'inmemorychannel',
  shortNames: ['imc'],
  schema: { type: 'object', properties: { spec: { type: 'object', default: {}, properties: { subscribers, delivery } } } },
  validate: validateChannelable,
};

/** messaging.knative.dev/v1beta1 KafkaChannel: the `kafka` engine with Knative's topic settings. */
export const kafkaChannelKind: KindDefinition = {
  group: 'messaging.knative.dev',
  versions: ['v1beta1'],
  kind: 'KafkaChannel',
  plural: 'kafkachannels',
  singular: 'kafkachannel',
  shortNames: ['kc'],
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        default: {},
        properties: {
          numPartitions: { type: 'integer', minimum: 1, default: 1 },
          replicationFactor: { type: 'integer', minimum: 1, default: 1 },
          retentionDuration: { type: 'string', default: 'PT168H' },
          subscribers,
          delivery,
        },
      },
    },
  },
  // Knative's KafkaChannel: the topic's settings are fixed once it exists.
  immutableFields: [
    ['spec', 'numPartitions'],
    ['spec', 'replicationFactor'],
    ['spec', 'retentionDuration'],
  ],
  validate(resource) {
    const problems = validateChannelable(resource);
    const retention = (resource.spec as ChannelableSpec | undefined)?.retentionDuration;
    if (retention !== undefined && parseDurationMs(retention) === undefined) {
      problems.push({ path: 'spec.retentionDuration', message: 'must be an ISO-8601 duration such as PT168H' });
    }
    return problems;
  },
};

/** Kinds that host events themselves (a Channel creates one of these from its template). */
export const backingKinds = [inMemoryChannelKind, kafkaChannelKind];
