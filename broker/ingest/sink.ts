import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { Destination } from '../resources/destination.js';
import type { DeliverySpec } from '../delivery/types.js';

/**
 * Where a source (or any in-process producer) sends events: a resolved Knative Destination.
 * `send` resolves only once the sink accepted the event — durable in a Junction broker or channel
 * (in-process ingest, no HTTP), or a 2xx from an HTTP sink after the delivery spec's retries —
 * and rejects with a JunctionError when it was refused or every attempt failed. Callers acknowledge
 * upstream (a provider's 2xx, a queue ack) only after it resolves.
 */
export interface Sink {
  /** The sink's address as users see it (`status.sinkUri`). */
  readonly uri: string;
  /** True when events go straight into this Junction's broker/channel (no HTTP hop). */
  readonly inProcess: boolean;
  send(events: CloudEvent[], options?: { signal?: AbortSignal }): Promise<void>;
}

/** Turns a Destination of a resource in `namespace` into a Sink; throws a JunctionError when it cannot be resolved yet. */
export interface SinkResolver {
  resolve(namespace: string, destination: Destination, delivery?: DeliverySpec): Sink;
}
