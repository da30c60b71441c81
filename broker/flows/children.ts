import { isJunctionError } from '../../core/errors.js';
import { setCondition, type Condition, type Resource, type ResourceService, type ResourceStatus } from '../../core/resources/index.js';
import { channelKind, type ChannelTemplate } from '../messaging/channel-kinds.js';
import { isOwnedBy } from '../messaging/owners.js';
import { subscriptionKind } from '../messaging/subscription-kind.js';
import type { Destination } from '../resources/destination.js';
import type { DeliverySpec } from '../delivery/index.js';

const MESSAGING = 'messaging.knative.dev/v1';

/** A reference to an object as flow statuses show it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/** One child's readiness as flow statuses show it (Knative's ChannelStatus/SubscriptionStatus). */
export interface ChildStatus {
  ref: ObjectRef;
  ready: Condition;
}

/** Creates or updates the channels and subscriptions a flow is made of, each owned by the flow. */
export class FlowChildren {
  private readonly wanted = new Set<string>();
  private readonly namespace: string;

  constructor(
    private readonly resources: ResourceService,
    private readonly owner: Resource,
  ) {
    this.namespace = owner.metadata.namespace ?? 'default';
  }

  /** A Channel of the flow (the flow's channelTemplate, else Junction's default engine); returns a Destination to it and its address once it has one. */
  channel(name: string, template: ChannelTemplate | undefined): { status: ChildStatus; destination: Destination; url?: string } {
    const stored = this.apply({ apiVersion: MESSAGING, kind: 'Channel', metadata: this.metadata(name), spec: template ? { channelTemplate: template } : {} });
    return { status: childStatus(stored), destination: { ref: { apiVersion: MESSAGING, kind: 'Channel', name } }, url: stored.status?.address?.url };
  }

  /** A Subscription of the flow from `channel` to `subscriber`, replies to `reply`. */
  subscription(name: string, channel: string, subscriber: Destination | undefined, reply: Destination | undefined, delivery?: DeliverySpec): ChildStatus {
    const spec: Record<string, unknown> = { channel: { apiVersion: MESSAGING, kind: 'Channel', name: channel } };
    if (subscriber) spec.subscriber = subscriber;
    if (reply) spec.reply = reply;
    if (delivery) spec.delivery = delivery;
    return childStatus(this.apply({ apiVersion: MESSAGING, kind: 'Subscription', metadata: this.metadata(name), spec }));
  }

  /** Deletes channels and subscriptions the flow owns but no longer wants (a removed step or branch). */
  prune(): void {
    for (const kind of [subscriptionKind, channelKind]) {
      for (const child of this.resources.store.list(kind.group, kind.kind, this.namespace)) {
        if (isOwnedBy(child, this.owner.metadata.uid) && !this.wanted.has(`${kind.kind}/${child.metadata.name}`)) {
          this.resources.delete(kind, this.namespace, child.metadata.name);
        }
      }
    }
  }

  /** Deletes everything the flow owns (the flow was deleted). */
  static removeAll(resources: ResourceService, owner: Resource): void {
    new FlowChildren(resources, owner).prune();
  }

  /** Creates or updates a child; one whose immutable fields must change (a new channelTemplate) is re-created, as Knative's flows do. */
  private apply(document: Resource): Resource {
    this.wanted.add(`${document.kind}/${document.metadata.name}`);
    try {
      return this.resources.write(document, 'apply', this.namespace).resource;
    } catch (error) {
      if (!isJunctionError(error, 'JUNCTION_FIELD_IMMUTABLE')) throw error;
      this.resources.delete(this.resources.kinds.forDocument(document.apiVersion, document.kind), this.namespace, document.metadata.name);
      return this.resources.write(document, 'create', this.namespace).resource;
    }
  }

  private metadata(name: string): Resource['metadata'] {
    const owner = this.owner;
    return {
      name,
      namespace: this.namespace,
      labels: { [`${owner.kind.toLowerCase()}.flows.knative.dev/name`]: owner.metadata.name },
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true }],
    };
  }
}

function childStatus(child: Resource): ChildStatus {
  const ready = child.status?.conditions?.find((condition) => condition.type === 'Ready') ?? { type: 'Ready', status: 'Unknown' as const, reason: 'Pending' };
  const ref = { apiVersion: child.apiVersion, kind: child.kind, name: child.metadata.name, namespace: child.metadata.namespace ?? 'default' };
  return { ref, ready };
}

/** Ready conditions of a flow from its children: ChannelsReady, SubscriptionsReady, Ready. */
export function flowConditions(previous: ResourceStatus | undefined, channels: ChildStatus[], subscriptions: ChildStatus[]): Condition[] | undefined {
  let conditions = previous?.conditions;
  const summarize = (type: string, children: ChildStatus[]) => {
    const notReady = children.find((child) => child.ready.status !== 'True');
    conditions = setCondition(
      conditions,
      notReady
        ? { type, status: notReady.ready.status === 'False' ? 'False' : 'Unknown', reason: notReady.ready.reason ?? 'NotReady', message: `${notReady.ref.kind} ${notReady.ref.name}: ${notReady.ready.message ?? 'not ready'}` }
        : { type, status: 'True' },
    );
    return notReady;
  };
  const channel = summarize('ChannelsReady', channels);
  const subscription = summarize('SubscriptionsReady', subscriptions);
  const blocker = channel ?? subscription;
  conditions = setCondition(
    conditions,
    blocker
      ? { type: 'Ready', status: blocker.ready.status === 'False' ? 'False' : 'Unknown', reason: blocker.ready.reason ?? 'NotReady', message: `${blocker.ref.kind} ${blocker.ref.name} is not ready` }
      : { type: 'Ready', status: 'True' },
  );
  return conditions;
}
