/** The broker module's public API: what sources, serving, scaler and the CLI may use. */
export { BrokerPlane, TTL_EXTENSION, ARRIVAL_EXTENSION, type BrokerInstance, type BrokerPlaneOptions } from './runtime/broker-plane.js';
export { BrokerMetrics, CHANNEL_LABEL_PREFIX, UNKNOWN_NAMESPACE_LABEL } from './metrics.js';
export { Deliverer, type DeliverySpec, type DeliveryPolicy, type DeliveryResult } from './delivery/index.js';
export { brokerKind, CHANNEL_ANNOTATION } from './resources/broker-kind.js';
export { triggerKind, DELIVERY_ORDER_ANNOTATION } from './resources/trigger-kind.js';
export { eventTypeKind, AUTO_EVENTTYPE_LABEL } from './resources/eventtype-kind.js';
export { brokerReconciler } from './resources/broker-reconciler.js';
export { triggerReconciler } from './resources/trigger-reconciler.js';
export { recordEventTypes } from './eventtype-recorder.js';
export { registerIngress } from './ingress/routes.js';
export { ChannelPlane, type ChannelInstance } from './messaging/channel-plane.js';
export { channelKind, inMemoryChannelKind, kafkaChannelKind, CHANNEL_ENGINE_ANNOTATION } from './messaging/channel-kinds.js';
export { subscriptionKind } from './messaging/subscription-kind.js';
export { channelReconciler, hostedChannelReconciler } from './messaging/channel-reconciler.js';
export { subscriptionReconciler } from './messaging/subscription-reconciler.js';
export { sequenceKind, parallelKind } from './flows/flow-kinds.js';
export { sequenceReconciler } from './flows/sequence-reconciler.js';
export { parallelReconciler } from './flows/parallel-reconciler.js';
export { registerResourceRoutes } from './control/resource-routes.js';
export { registerTokenRoutes } from './control/token-routes.js';
export { registerReplayRoutes } from './control/replay-routes.js';
export { registerDiscoveryRoutes } from './control/discovery-routes.js';
export { registerOpsRoutes } from './http/ops-routes.js';
export { installProblemHandlers, problemErrorHandler, sendProblem } from './http/problem.js';
export { refuseWhileClosing } from './http/closing-guard.js';
export { answerClientError } from './http/client-errors.js';
export { registerJsonBodies, MAX_JSON_DEPTH } from './http/json-body.js';
export { TokenStore, ALL_NAMESPACES, ROLES, type Role, type TokenInfo } from './tenants/tokens.js';
export { Authorizer } from './tenants/authorizer.js';
export { Quotas } from './tenants/quotas.js';

/** In-process ingest for sources: makes events durable in a broker (resolves when they are). */
export type IngestFunction = (namespace: string, broker: string, events: import('../core/cloudevent/index.js').CloudEvent[]) => Promise<unknown>;
export type { Sink, SinkResolver } from './ingest/sink.js';
export { destinationSchema, deliverySchema } from './resources/duck-schemas.js';
export { validateDestination, refNamespaceProblems, type Destination } from './resources/destination.js';
export { resolveDestination } from './resources/destination-resolver.js';
