import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { DeliveryLane, DeliveryPolicy } from '../delivery/index.js';

/** Everything a worker needs to know about its trigger; replaced as a whole when the trigger changes. */
export interface TriggerTarget {
  uid: string;
  namespace: string;
  name: string;
  broker: string;
  subscriberUrl: string;
  policy: DeliveryPolicy;
  ordered: boolean;
  maxInFlight: number;
  matches(event: CloudEvent): boolean;
  /**
   * Where a subscriber's reply goes (Subscription `reply`), sent through the same `lane`; absent:
   * back into the broker. It stops at `signal`, and its waits for retries at `backoffSignal` too
   * (as DeliveryLane.deliver does).
   */
  reply?: (reply: CloudEvent, original: CloudEvent, lane: DeliveryLane, signal: AbortSignal, backoffSignal?: AbortSignal) => Promise<void>;
}
