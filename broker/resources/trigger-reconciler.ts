import { setCondition, type Condition, type Reconciler, type ResourceService, type ResourceStatus } from '../../core/resources/index.js';
import { compileTriggerFilter } from '../filters/index.js';
import type { BrokerPlane } from '../runtime/broker-plane.js';
import { locateGroup } from '../runtime/hosted-channel.js';
import { brokerKind, type BrokerSpec } from './broker-kind.js';
import { resolveDelivery } from './delivery-resolution.js';
import { refNamespaceProblems } from './destination.js';
import { resolveDestination } from './destination-resolver.js';
import { DELIVERY_ORDER_ANNOTATION, type TriggerSpec } from './trigger-kind.js';

/** Annotation bounding a trigger's deliveries in flight (unordered mode). */
export const MAX_IN_FLIGHT_ANNOTATION = 'junction.dev/max-in-flight';
/** Knative's RabbitMQ broker annotation for the same bound (its consumer prefetch). */
export const RABBITMQ_PARALLELISM_ANNOTATION = 'rabbitmq.eventing.knative.dev/parallelism';

/** Keeps each Trigger's delivery worker in step with its spec and reports why it is (not) Ready. */
export function triggerReconciler(resources: ResourceService, plane: BrokerPlane, defaultMaxInFlight: number): Reconciler {
  const placed = new Map<string, { broker: string; ordered: boolean }>();
  return {
    group: 'eventing.knative.dev',
    kind: 'Trigger',
    async reconcile(resource) {
      const namespace = resource.metadata.namespace ?? 'default';
      const uid = resource.metadata.uid ?? '';
      const spec = resource.spec as unknown as TriggerSpec;
      const status: ResourceStatus = { ...(resource.status ?? {}) };
      let conditions = status.conditions;
      const fail = async (type: string, reason: string, message: string, keepWorker = false): Promise<ResourceStatus> => {
        const previous = placed.get(uid);
        if (previous && !keepWorker) {
          await plane.removeTrigger(namespace, previous.broker, uid, false);
          placed.delete(uid);
        }
        conditions = setCondition(conditions, { type, status: 'False', reason, message });
        conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason, message });
        return { ...status, conditions };
      };

      const previous = placed.get(uid);
      if (previous && previous.broker !== spec.broker) {
        await plane.removeTrigger(namespace, previous.broker, uid, true);
        placed.delete(uid);
      }
      const brokerResource = resources.store.get(resources.keyOf(brokerKind, namespace, spec.broker));
      if (!brokerResource) return fail('BrokerReady', 'BrokerDoesNotExist', `broker ${namespace}/${spec.broker} does not exist`);
      const broker = plane.get(namespace, spec.broker);
      const brokerReady = brokerResource.status?.conditions?.find((c: Condition) => c.type === 'Ready');
      if (!broker || !broker.dispatcher || brokerReady?.status !== 'True') {
        // While the broker's dispatcher runs (a broker only reported not Ready, e.g. its engine is
        // briefly away and reconnecting), the trigger keeps its consumer and position.
        return fail('BrokerReady', 'BrokerNotReady', broker?.notReady?.message ?? brokerReady?.message ?? `broker ${spec.broker} is not ready`, broker?.dispatcher !== undefined);
      }
      conditions = setCondition(conditions, { type: 'BrokerReady', status: 'True' });

      // Stored before admission refused it: deliveries into another namespace would all be refused.
      const [mismatch] = refNamespaceProblems(spec.subscriber, 'spec.subscriber', namespace);
      if (mismatch) return fail('SubscriberResolved', 'MismatchedNamespace', `${mismatch.path}: ${mismatch.message}`);
      let subscriberUrl: string;
      try {
        subscriberUrl = resolveDestination(resources, spec.subscriber, namespace);
      } catch (error) {
        return fail('SubscriberResolved', 'Unable to get the Subscriber\'s URI', (error as Error).message);
      }
      status.subscriberUri = subscriberUrl;
      conditions = setCondition(conditions, { type: 'SubscriberResolved', status: 'True' });
      conditions = setCondition(conditions, { type: 'DependencyReady', status: 'True' });

      let delivery: ReturnType<typeof resolveDelivery>;
      try {
        delivery = resolveDelivery(resources, spec.delivery, (brokerResource.spec as BrokerSpec | undefined)?.delivery, namespace);
      } catch (error) {
        return fail('DeadLetterSinkResolved', 'Unable to get the dead letter sink\'s URI', (error as Error).message);
      }
      if (delivery.deadLetterUri) status.deadLetterSinkUri = delivery.deadLetterUri;
      else delete status.deadLetterSinkUri;
      const policy = delivery.policy;
      const ordered = resource.metadata.annotations?.[DELIVERY_ORDER_ANNOTATION] === 'ordered';
      const annotations = resource.metadata.annotations ?? {};
      const maxInFlightAnnotation = Number(annotations[MAX_IN_FLIGHT_ANNOTATION] ?? annotations[RABBITMQ_PARALLELISM_ANNOTATION]);
      const maxInFlight = Number.isInteger(maxInFlightAnnotation) && maxInFlightAnnotation > 0 ? maxInFlightAnnotation : defaultMaxInFlight;
      plane.upsertTrigger(
        broker,
        {
          uid,
          namespace,
          name: resource.metadata.name,
          broker: spec.broker,
          subscriberUrl,
          policy,
          ordered,
          maxInFlight,
          matches: compileTriggerFilter(spec),
        },
        spec,
        previous?.ordered,
      );
      placed.set(uid, { broker: spec.broker, ordered });
      // On an engine with its own groups, where the trigger's group is (e.g. its Kafka consumer group).
      locateGroup(status, broker.channelKind, broker.channel, { namespace, name: resource.metadata.name });
      conditions = setCondition(conditions, { type: 'SubscriptionReady', status: 'True' });
      conditions = setCondition(conditions, { type: 'Ready', status: 'True' });
      return { ...status, conditions };
    },
    async finalize(resource) {
      const uid = resource.metadata.uid ?? '';
      const spec = resource.spec as unknown as TriggerSpec;
      await plane.removeTrigger(resource.metadata.namespace ?? 'default', placed.get(uid)?.broker ?? spec.broker, uid, true);
      placed.delete(uid);
    },
  };
}
