import type { Logger } from 'pino';
import { configMapKind, secretKind, type KindDefinition, type Reconciler, type ResourceService } from '../core/resources/index.js';
import { parallelKind, sequenceKind } from './flows/flow-kinds.js';
import { parallelReconciler } from './flows/parallel-reconciler.js';
import { sequenceReconciler } from './flows/sequence-reconciler.js';
import { channelKind, inMemoryChannelKind, kafkaChannelKind } from './messaging/channel-kinds.js';
import { channelReconciler, hostedChannelReconciler } from './messaging/channel-reconciler.js';
import { subscriptionKind } from './messaging/subscription-kind.js';
import { subscriptionReconciler } from './messaging/subscription-reconciler.js';
import type { BrokerMetrics } from './metrics.js';
import { brokerKind } from './resources/broker-kind.js';
import { brokerReconciler } from './resources/broker-reconciler.js';
import { eventTypeKind } from './resources/eventtype-kind.js';
import { triggerKind } from './resources/trigger-kind.js';
import { triggerReconciler } from './resources/trigger-reconciler.js';
import type { BrokerPlane } from './runtime/broker-plane.js';
import type { ChannelPlane } from './messaging/channel-plane.js';

/**
 * Every kind the broker module serves, in dependency order (Secrets and ConfigMaps first: others
 * refer to them). `junction start` registers these, then each further module's kinds.
 */
export const brokerKinds: readonly KindDefinition[] = [
  secretKind,
  configMapKind,
  brokerKind,
  triggerKind,
  eventTypeKind,
  channelKind,
  inMemoryChannelKind,
  kafkaChannelKind,
  subscriptionKind,
  sequenceKind,
  parallelKind,
];

/** What the broker's reconcilers drive. */
export interface BrokerReconcilerDependencies {
  resources: ResourceService;
  plane: BrokerPlane;
  channelPlane: ChannelPlane;
  metrics: BrokerMetrics;
  logger: Logger;
  /** Junction's base URL (addresses in status), known once it listens. */
  url: () => string;
  /** The engine of brokers and channels that name none, by namespace. */
  defaultChannel: string;
  namespaceDefaults: Record<string, string>;
  maxInFlightPerTrigger: number;
}

/** The reconcilers of the broker module's kinds: brokers, triggers, channels (all three kinds), subscriptions, flows. */
export function brokerReconcilers(deps: BrokerReconcilerDependencies): Reconciler[] {
  const { resources, plane, channelPlane, url } = deps;
  return [
    brokerReconciler(resources, plane, url, { engine: deps.defaultChannel, namespaces: deps.namespaceDefaults }),
    triggerReconciler(resources, plane, deps.maxInFlightPerTrigger),
    channelReconciler(resources, channelPlane, url, (namespace) => deps.namespaceDefaults[namespace] ?? deps.defaultChannel),
    hostedChannelReconciler(inMemoryChannelKind, resources, channelPlane, url, () => ({ engine: 'memory', settings: {} })),
    hostedChannelReconciler(kafkaChannelKind, resources, channelPlane, url, (resource) => {
      const spec = (resource.spec ?? {}) as { numPartitions?: number; replicationFactor?: number; retentionDuration?: string };
      return { engine: 'kafka', settings: { numPartitions: spec.numPartitions, replicationFactor: spec.replicationFactor, retentionDuration: spec.retentionDuration } };
    }),
    sequenceReconciler(resources),
    parallelReconciler(resources),
    subscriptionReconciler(resources, channelPlane, { metrics: deps.metrics, logger: deps.logger, maxInFlight: deps.maxInFlightPerTrigger }),
  ];
}
