import type { Reconciler, ResourceService, ResourceStatus } from '../../core/resources/index.js';
import { FlowChildren, flowConditions } from './children.js';
import type { ParallelSpec } from './flow-kinds.js';

/**
 * Builds a Parallel as Knative does: an ingress channel (`<name>-kn-parallel`); per branch a filter
 * subscription from it (to the branch's filter, or straight through without one) whose reply goes to
 * the branch channel (`<name>-kn-parallel-<i>`), and a subscription from that channel to the
 * branch's subscriber replying to the branch's reply, else the Parallel's.
 */
export function parallelReconciler(resources: ResourceService): Reconciler {
  return {
    group: 'flows.knative.dev',
    kind: 'Parallel',
    async reconcile(resource) {
      const spec = resource.spec as unknown as ParallelSpec;
      const name = resource.metadata.name;
      const children = new FlowChildren(resources, resource);
      const ingressName = `${name}-kn-parallel`;
      const ingress = children.channel(ingressName, spec.channelTemplate);
      const branches = spec.branches.map((branch, index) => {
        const channel = children.channel(`${name}-kn-parallel-${index}`, spec.channelTemplate);
        const filter = children.subscription(`${name}-kn-parallel-filter-${index}`, ingressName, branch.filter, channel.destination);
        const subscription = children.subscription(`${name}-kn-parallel-${index}`, `${name}-kn-parallel-${index}`, branch.subscriber, branch.reply ?? spec.reply, branch.delivery);
        return { channel, filter, subscription };
      });
      children.prune();
      const status: ResourceStatus = { ...(resource.status ?? {}) };
      if (ingress.url) status.address = { name: 'http', url: ingress.url };
      status.ingressChannelStatus = { channel: ingress.status.ref, ready: ingress.status.ready };
      status.branchStatuses = branches.map(({ channel, filter, subscription }) => ({
        filterChannelStatus: { channel: channel.status.ref, ready: channel.status.ready },
        filterSubscriptionStatus: { subscription: filter.ref, ready: filter.ready },
        subscriptionStatus: { subscription: subscription.ref, ready: subscription.ready },
      }));
      const channels = [ingress.status, ...branches.map((branch) => branch.channel.status)];
      const subscriptions = branches.flatMap((branch) => [branch.filter, branch.subscription]);
      status.conditions = flowConditions(resource.status, channels, subscriptions);
      return status;
    },
    async finalize(resource) {
      FlowChildren.removeAll(resources, resource);
    },
  };
}
