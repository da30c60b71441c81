import type { Logger } from 'pino';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { setCondition, type Condition, type Reconciler, type ResourceService, type ResourceStatus } from '../../core/resources/index.js';
import type { DeliveryLane } from '../delivery/index.js';
import { CHANNEL_LABEL_PREFIX, type BrokerMetrics } from '../metrics.js';
import { locateGroup } from '../runtime/hosted-channel.js';
import { resolveDelivery } from '../resources/delivery-resolution.js';
import { resolveDestination } from '../resources/destination-resolver.js';
import type { ChannelableSpec } from './channel-kinds.js';
import type { ChannelPlane } from './channel-plane.js';
import type { SubscriptionSpec } from './subscription-kind.js';

/** What a subscription needs besides the resources and the channel plane. */
export interface SubscriptionDependencies {
  metrics: BrokerMetrics;
  logger: Logger;
  maxInFlight: number;
}

/**
 * Delivers every event of a channel to a Subscription's subscriber and forwards the subscriber's
 * reply to `reply` (dropped when there is none); with no subscriber, events go straight to `reply`.
 * Failed deliveries (and failed replies) go to the dead-letter sink of the subscription, else the channel's.
 */
export function subscriptionReconciler(resources: ResourceService, plane: ChannelPlane, deps: SubscriptionDependencies): Reconciler {
  const placed = new Map<string, string>();
  return {
    group: 'messaging.knative.dev',
    kind: 'Subscription',
    async reconcile(resource) {
      const namespace = resource.metadata.namespace ?? 'default';
      const uid = resource.metadata.uid ?? '';
      const spec = resource.spec as unknown as SubscriptionSpec;
      const status: ResourceStatus = { ...(resource.status ?? {}) };
      let conditions = status.conditions;
      const fail = async (type: string, reason: string, message: string, keepWorker = false): Promise<ResourceStatus> => {
        const previous = placed.get(uid);
        if (previous && !keepWorker) {
          await plane.removeSubscription(namespace, previous, uid, false);
          placed.delete(uid);
        }
        conditions = setCondition(conditions, { type, status: 'False', reason, message });
        conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason, message });
        return { ...status, conditions };
      };

      const previous = placed.get(uid);
      if (previous && previous !== spec.channel.name) {
        await plane.removeSubscription(namespace, previous, uid, true);
        placed.delete(uid);
      }
      let channelResource;
      try {
        const channelKind = resources.kinds.forDocument(spec.channel.apiVersion, spec.channel.kind);
        channelResource = resources.store.get(resources.keyOf(channelKind, namespace, spec.channel.name));
      } catch (error) {
        return fail('ChannelReady', 'ChannelKindUnknown', (error as Error).message);
      }
      if (!channelResource) return fail('ChannelReady', 'ChannelNotFound', `${spec.channel.kind} ${namespace}/${spec.channel.name} does not exist`);
      const channelReady = channelResource.status?.conditions?.find((condition: Condition) => condition.type === 'Ready');
      const instance = plane.get(namespace, spec.channel.name);
      if (!instance?.dispatcher || channelReady?.status !== 'True') {
        // While the channel's dispatcher runs (its engine briefly away), the subscription keeps its consumer.
        return fail('ChannelReady', 'ChannelNotReady', instance?.notReady?.message ?? channelReady?.message ?? `${spec.channel.kind} ${spec.channel.name} is not ready`, instance?.dispatcher !== undefined);
      }
      conditions = setCondition(conditions, { type: 'ChannelReady', status: 'True' });

      let subscriberUri: string | undefined;
      let replyUri: string | undefined;
      let delivery: ReturnType<typeof resolveDelivery>;
      try {
        if (spec.subscriber) subscriberUri = resolveDestination(resources, spec.subscriber, namespace);
        if (spec.reply) replyUri = resolveDestination(resources, spec.reply, namespace);
        delivery = resolveDelivery(resources, spec.delivery, (channelResource.spec as ChannelableSpec | undefined)?.delivery, namespace);
      } catch (error) {
        return fail('Resolved', 'DestinationNotResolved', (error as Error).message);
      }
      const { policy, deadLetterUri } = delivery;
      conditions = setCondition(conditions, { type: 'Resolved', status: 'True' });
      status.physicalSubscription = { ...(subscriberUri ? { subscriberUri } : {}), ...(replyUri ? { replyUri } : {}), ...(deadLetterUri ? { deadLetterSinkUri: deadLetterUri } : {}) };

      const labels = { namespace, broker: `${CHANNEL_LABEL_PREFIX}${spec.channel.name}`, trigger: resource.metadata.name };
      // Through the subscription's own lane: a slow reply destination holds back only this subscription.
      const forwardReply = async (reply: CloudEvent, _original: CloudEvent, lane: DeliveryLane, signal: AbortSignal, backoffSignal?: AbortSignal): Promise<void> => {
        if (!replyUri || !subscriberUri) return; // no reply destination: Knative drops the reply
        const result = await lane.deliver(reply, replyUri, policy, signal, namespace, backoffSignal);
        if (result.outcome === 'dead-lettered') deps.metrics.deadLettered.inc(labels);
        else if (result.outcome !== 'delivered') {
          deps.metrics.failed.inc(labels);
          deps.logger.error({ namespace, subscription: resource.metadata.name, eventId: reply.id, error: result.error }, 'reply could not be forwarded (no working dead-letter sink)');
        }
      };
      plane.upsertSubscription(instance, {
        uid,
        namespace,
        name: resource.metadata.name,
        broker: labels.broker,
        subscriberUrl: (subscriberUri ?? replyUri) as string,
        policy,
        ordered: false,
        maxInFlight: deps.maxInFlight,
        matches: () => true,
        reply: forwardReply,
      });
      placed.set(uid, spec.channel.name);
      locateGroup(status, instance.engine, instance.channel, { namespace, name: resource.metadata.name });
      conditions = setCondition(conditions, { type: 'AddedToChannel', status: 'True' });
      conditions = setCondition(conditions, { type: 'Ready', status: 'True' });
      return { ...status, conditions };
    },
    async finalize(resource) {
      const uid = resource.metadata.uid ?? '';
      const spec = resource.spec as unknown as SubscriptionSpec;
      await plane.removeSubscription(resource.metadata.namespace ?? 'default', placed.get(uid) ?? spec.channel.name, uid, true);
      placed.delete(uid);
    },
  };
}
