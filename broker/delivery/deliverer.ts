import type { CloudEvent } from '../../core/cloudevent/index.js';
import { DeliveryLane, type LaneSettings } from './delivery-lane.js';
import type { DelivererOptions, DeliveryPolicy, DeliveryResult } from './types.js';

const MIB = 1024 * 1024;

/**
 * Delivers events to subscribers over HTTP with Knative's delivery semantics (retries, backoff,
 * per-attempt timeout, Retry-After, dead-letter sink). Each trigger and subscription takes a lane of
 * its own (`lane`), so no subscriber's slowness reaches another's deliveries; `deliver` goes
 * through one shared pool, for deliveries that belong to no trigger.
 */
export class Deliverer {
  readonly #settings: LaneSettings;
  readonly #shared: DeliveryLane;
  readonly #lanes = new Set<DeliveryLane>();

  constructor(options: DelivererOptions = {}) {
    this.#settings = {
      maxResponseBytes: options.maxResponseBytes ?? MIB,
      userAgent: options.userAgent ?? 'junction',
      logger: options.logger,
      onAttempt: options.onAttempt,
      credentials: options.credentials,
      local: options.local,
    };
    this.#shared = new DeliveryLane(this.#settings, options.connectionsPerOrigin ?? 100);
  }

  /**
   * A lane of its own for one trigger or subscription: keep-alive connections, at most
   * `connections` per origin (its in-flight bound), that nobody else uses. Its owner closes it.
   */
  lane(connections: number): DeliveryLane {
    const lane = new DeliveryLane(this.#settings, connections, (closed) => this.#lanes.delete(closed));
    this.#lanes.add(lane);
    return lane;
  }

  /** Delivers through the shared pool; see DeliveryLane.deliver. */
  deliver(event: CloudEvent, target: string, policy: DeliveryPolicy, signal?: AbortSignal, namespace?: string, backoffSignal?: AbortSignal): Promise<DeliveryResult> {
    return this.#shared.deliver(event, target, policy, signal, namespace, backoffSignal);
  }

  /** Closes every connection, of the shared pool and of every lane, once their deliveries have ended. */
  async close(): Promise<void> {
    await Promise.all([this.#shared, ...this.#lanes].map((lane) => lane.close()));
  }
}
