import { setCondition, type Reconciler, type ResourceService, type ResourceStatus } from '../../core/resources/index.js';
import type { BrokerPlane } from '../runtime/broker-plane.js';
import { engineAnnotations } from '../runtime/hosted-channel.js';
import type { BrokerSpec } from './broker-kind.js';
import { chooseBrokerChannel } from './broker-channel.js';
import { resolveDestination } from './destination-resolver.js';
import { triggerKind, type TriggerSpec } from './trigger-kind.js';
import { retainsEvents } from './deletion-policy.js';

/** How often a Ready broker on an engine with a server checks that the server is still reachable. */
const ENGINE_CHECK_MS = 3000;

/** Keeps each Broker's channel and dispatcher running and reports its address and readiness. */
export function brokerReconciler(
  resources: ResourceService,
  plane: BrokerPlane,
  baseUrl: () => string,
  defaults: { engine: string; namespaces: Record<string, string> },
): Reconciler {
  const enqueueTriggers = (namespace: string, broker: string, enqueue: (g: string, k: string, ns: string, n: string) => void) => {
    for (const trigger of resources.store.list(triggerKind.group, triggerKind.kind, namespace)) {
      if ((trigger.spec as unknown as TriggerSpec).broker === broker) enqueue(triggerKind.group, triggerKind.kind, namespace, trigger.metadata.name);
    }
  };
  return {
    group: 'eventing.knative.dev',
    kind: 'Broker',
    async reconcile(resource, context) {
      const namespace = resource.metadata.namespace ?? 'default';
      const choice = chooseBrokerChannel(resources, resource, defaults);
      const instance = await plane.ensureBroker(resource, choice.engine, choice.settings);
      const spec = (resource.spec ?? {}) as BrokerSpec;
      const status: ResourceStatus = { ...(resource.status ?? {}) };
      let conditions = status.conditions;
      const url = `${baseUrl()}/${namespace}/${resource.metadata.name}`;
      status.address = { name: 'http', url };
      status.annotations = engineAnnotations(instance.channelKind, instance.channel);
      delete status.deadLetterSinkUri;
      if (spec.delivery?.deadLetterSink) {
        try {
          status.deadLetterSinkUri = resolveDestination(resources, spec.delivery.deadLetterSink, namespace);
        } catch {
          // Not resolvable (yet): each trigger that falls back on it reports DeadLetterSinkResolved=False.
        }
      }
      conditions = setCondition(conditions, { type: 'Addressable', status: 'True' });
      const engineDown = instance.notReady ? undefined : plane.engines.health(instance.channelKind);
      const problem = instance.notReady ?? (engineDown ? { reason: 'EngineUnavailable', message: engineDown } : undefined);
      if (problem) {
        context.requeueAfter(1000); // the engine may come back: try again, backing off
        conditions = setCondition(conditions, { type: 'IngressReady', status: 'False', reason: problem.reason, message: problem.message });
        conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: problem.reason, message: problem.message });
      } else {
        // An engine on a server can go away later: look again every few seconds.
        if (plane.engines.isRemote(instance.channelKind)) context.requeueAfter(ENGINE_CHECK_MS, { backoff: false });
        conditions = setCondition(conditions, { type: 'IngressReady', status: 'True' });
        conditions = setCondition(conditions, { type: 'FilterReady', status: 'True' });
        conditions = setCondition(conditions, { type: 'Ready', status: 'True' });
      }
      status.conditions = conditions;
      enqueueTriggers(namespace, resource.metadata.name, context.enqueue);
      return status;
    },
    async finalize(resource, context) {
      const namespace = resource.metadata.namespace ?? 'default';
      await plane.removeBroker(namespace, resource.metadata.name, resource.metadata.uid, retainsEvents(resource));
      enqueueTriggers(namespace, resource.metadata.name, context.enqueue);
    },
  };
}
