import { setCondition, type KindDefinition, type Reconciler, type Resource, type ResourceService, type ResourceStatus } from '../../core/resources/index.js';
import { CHANNEL_ENGINE_ANNOTATION, channelKind, type ChannelableSpec } from './channel-kinds.js';
import type { ChannelPlane } from './channel-plane.js';
import { engineAnnotations } from '../runtime/hosted-channel.js';
import { isOwnedBy } from './owners.js';
import { subscriptionKind, type SubscriptionSpec } from './subscription-kind.js';
import { retainsEvents } from '../resources/deletion-policy.js';

/** How often a Ready channel on an engine with a server checks that the server is still reachable. */
const ENGINE_CHECK_MS = 3000;

/** How a hosted channel kind maps onto an engine: which engine, with which per-channel settings. */
export type EngineChoice = (resource: Resource) => { engine: string; settings: Record<string, unknown> };

/** Queues every Subscription of a channel (they wait for it, and follow it when it changes). */
function enqueueSubscriptions(resources: ResourceService, resource: Resource, enqueue: (g: string, k: string, ns: string, n: string) => void): void {
  const namespace = resource.metadata.namespace ?? 'default';
  for (const subscription of resources.store.list(subscriptionKind.group, subscriptionKind.kind, namespace)) {
    if ((subscription.spec as unknown as SubscriptionSpec).channel?.name === resource.metadata.name) {
      enqueue(subscriptionKind.group, subscriptionKind.kind, namespace, subscription.metadata.name);
    }
  }
}

/** Conditions of a channel from its engine's state. */
function channelStatus(resource: Resource, url: string, notReady: { reason: string; message: string } | undefined): ResourceStatus {
  const status: ResourceStatus = { ...(resource.status ?? {}), address: { name: 'http', url } };
  let conditions = setCondition(status.conditions, { type: 'Addressable', status: 'True' });
  if (notReady) {
    conditions = setCondition(conditions, { type: 'ChannelServiceReady', status: 'False', reason: notReady.reason, message: notReady.message });
    conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: notReady.reason, message: notReady.message });
  } else {
    conditions = setCondition(conditions, { type: 'ChannelServiceReady', status: 'True' });
    conditions = setCondition(conditions, { type: 'Ready', status: 'True' });
  }
  return { ...status, conditions };
}

/**
 * Hosts a channel kind on an engine (InMemoryChannel → memory, KafkaChannel → kafka, a Channel
 * without template → the default engine): address `/channels/{ns}/{name}`, Ready from the engine.
 */
export function hostedChannelReconciler(kind: KindDefinition, resources: ResourceService, plane: ChannelPlane, baseUrl: () => string, choose: EngineChoice): Reconciler {
  return {
    group: kind.group,
    kind: kind.kind,
    async reconcile(resource, context) {
      const namespace = resource.metadata.namespace ?? 'default';
      const { engine, settings } = choose(resource);
      const instance = await plane.ensure(namespace, resource.metadata.name, resource.metadata.uid ?? '', engine, settings);
      const engineDown = instance.notReady ? undefined : plane.engines.health(engine);
      const problem = instance.notReady ?? (engineDown ? { reason: 'EngineUnavailable', message: engineDown } : undefined);
      const status = channelStatus(resource, `${baseUrl()}/channels/${namespace}/${resource.metadata.name}`, problem);
      if (problem) context.requeueAfter(1000); // the engine may come back: try again, backing off
      else if (plane.engines.isRemote(engine)) context.requeueAfter(ENGINE_CHECK_MS, { backoff: false }); // it may go away later
      status.annotations = engineAnnotations(engine, instance.channel);
      enqueueSubscriptions(resources, resource, context.enqueue);
      return status;
    },
    async finalize(resource, context) {
      await plane.remove(resource.metadata.namespace ?? 'default', resource.metadata.name, resource.metadata.uid, retainsEvents(resource));
      enqueueSubscriptions(resources, resource, context.enqueue);
    },
  };
}

/**
 * messaging.knative.dev/v1 Channel. With `spec.channelTemplate` it creates the backing channel of
 * that kind under the same name (as Knative does) and mirrors its address and readiness; without
 * one it is hosted directly on the namespace's default engine (durable sqlite unless configured
 * otherwise, unlike Knative's in-memory default).
 */
export function channelReconciler(resources: ResourceService, plane: ChannelPlane, baseUrl: () => string, defaultEngine: (namespace: string) => string): Reconciler {
  const hosted = hostedChannelReconciler(channelKind, resources, plane, baseUrl, (resource) => ({
    engine: resource.metadata.annotations?.[CHANNEL_ENGINE_ANNOTATION] ?? defaultEngine(resource.metadata.namespace ?? 'default'),
    settings: {},
  }));
  return {
    group: channelKind.group,
    kind: channelKind.kind,
    async reconcile(resource, context) {
      const spec = (resource.spec ?? {}) as ChannelableSpec;
      const template = spec.channelTemplate;
      if (!template) return hosted.reconcile(resource, context);
      const namespace = resource.metadata.namespace ?? 'default';
      const backingKind = resources.kinds.forDocument(template.apiVersion, template.kind);
      const existing = resources.store.get(resources.keyOf(backingKind, namespace, resource.metadata.name));
      let conditions = resource.status?.conditions;
      const status: ResourceStatus = { ...(resource.status ?? {}) };
      status.channel = { apiVersion: template.apiVersion, kind: template.kind, name: resource.metadata.name };
      if (existing && !isOwnedBy(existing, resource.metadata.uid)) {
        const message = `${template.kind} ${namespace}/${resource.metadata.name} exists and is not owned by this Channel`;
        conditions = setCondition(conditions, { type: 'BackingChannelReady', status: 'False', reason: 'ChannelNotOwned', message });
        return { ...status, conditions: setCondition(conditions, { type: 'Ready', status: 'False', reason: 'ChannelNotOwned', message }) };
      }
      const { resource: backing } = resources.write(
        {
          apiVersion: template.apiVersion,
          kind: template.kind,
          metadata: {
            name: resource.metadata.name,
            namespace,
            labels: { 'messaging.knative.dev/channel': resource.metadata.name },
            ownerReferences: [{ apiVersion: resource.apiVersion, kind: resource.kind, name: resource.metadata.name, uid: resource.metadata.uid, controller: true }],
          },
          spec: { ...(template.spec ?? {}), ...(spec.delivery ? { delivery: spec.delivery } : {}) },
        },
        'apply',
        namespace,
      );
      const ready = backing.status?.conditions?.find((condition) => condition.type === 'Ready');
      if (backing.status?.address) status.address = backing.status.address;
      if (ready?.status === 'True') {
        conditions = setCondition(conditions, { type: 'BackingChannelReady', status: 'True' });
        conditions = setCondition(conditions, { type: 'Ready', status: 'True' });
      } else {
        const reason = ready?.reason ?? 'BackingChannelNotReady';
        const message = ready?.message ?? `${template.kind} ${namespace}/${resource.metadata.name} is not ready yet`;
        conditions = setCondition(conditions, { type: 'BackingChannelReady', status: 'Unknown', reason, message });
        conditions = setCondition(conditions, { type: 'Ready', status: 'Unknown', reason, message });
      }
      return { ...status, conditions };
    },
    async finalize(resource, context) {
      const template = (resource.spec as ChannelableSpec | undefined)?.channelTemplate;
      if (!template) return hosted.finalize(resource, context);
      const namespace = resource.metadata.namespace ?? 'default';
      const backingKind = resources.kinds.forDocument(template.apiVersion, template.kind);
      const backing = resources.store.get(resources.keyOf(backingKind, namespace, resource.metadata.name));
      if (backing && isOwnedBy(backing, resource.metadata.uid)) resources.delete(backingKind, namespace, resource.metadata.name);
    },
  };
}
