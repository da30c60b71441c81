import type { Reconciler, ResourceService, ResourceStatus } from '../../core/resources/index.js';
import { FlowChildren, flowConditions, type ChildStatus } from './children.js';
import type { SequenceSpec } from './flow-kinds.js';

/**
 * Builds a Sequence as Knative does: channel i (`<name>-kn-sequence-<i>`) with a subscription to
 * step i whose reply goes to channel i+1, the last step's reply to `spec.reply`. The Sequence's
 * address is the first channel's; its status lists every channel and subscription.
 */
export function sequenceReconciler(resources: ResourceService): Reconciler {
  return {
    group: 'flows.knative.dev',
    kind: 'Sequence',
    async reconcile(resource) {
      const spec = resource.spec as unknown as SequenceSpec;
      const name = resource.metadata.name;
      const children = new FlowChildren(resources, resource);
      const channels = spec.steps.map((_, index) => children.channel(`${name}-kn-sequence-${index}`, spec.channelTemplate));
      const subscriptions: ChildStatus[] = spec.steps.map((step, index) => {
        const { delivery, ...subscriber } = step;
        const reply = index + 1 < channels.length ? channels[index + 1]!.destination : spec.reply;
        return children.subscription(`${name}-kn-sequence-${index}`, `${name}-kn-sequence-${index}`, subscriber, reply, delivery);
      });
      children.prune();
      const status: ResourceStatus = { ...(resource.status ?? {}) };
      const firstUrl = channels[0]?.url;
      if (firstUrl) status.address = { name: 'http', url: firstUrl };
      status.channelStatuses = channels.map(({ status: child }) => ({ channel: child.ref, ready: child.ready }));
      status.subscriptionStatuses = subscriptions.map((child) => ({ subscription: child.ref, ready: child.ready }));
      status.conditions = flowConditions(resource.status, channels.map((channel) => channel.status), subscriptions);
      return status;
    },
    async finalize(resource) {
      FlowChildren.removeAll(resources, resource);
    },
  };
}
