import type { CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';
import type { KindDefinition, ResourceService } from '../../core/resources/index.js';
import type { Deliverer, DeliveryPolicy, DeliverySpec } from '../delivery/index.js';
import { channelKind, inMemoryChannelKind, kafkaChannelKind } from '../messaging/channel-kinds.js';
import { brokerKind } from '../resources/broker-kind.js';
import { resolveDelivery } from '../resources/delivery-resolution.js';
import type { Destination } from '../resources/destination.js';
import { resolveDestination } from '../resources/destination-resolver.js';
import type { IngestService } from './ingest-service.js';
import { ownIngressTarget, type IngressTarget } from './own-ingress.js';
import type { Sink, SinkResolver } from './sink.js';

/**
 * How a sink reached over HTTP is retried when its source's resource says nothing (`delivery`
 * fields given override these one by one): 5 retries with exponential backoff from 0.2 s (0.4 s,
 * 0.8 s … 6.4 s), 10 s per attempt, and a 429/503 `Retry-After` honoured up to 30 s.
 */
export const DEFAULT_SINK_DELIVERY: Readonly<DeliverySpec> = Object.freeze({
  retry: 5,
  backoffPolicy: 'exponential',
  backoffDelay: 'PT0.2S',
  timeout: 'PT10S',
  retryAfterMax: 'PT30S',
});

/** What the sink resolver needs from the rest of Junction. */
export interface SinkResolverDependencies {
  resources: ResourceService;
  ingest: IngestService;
  deliverer: Deliverer;
  /** This Junction's own base URL (its ingress); known once it listens. */
  ownUrl: () => string;
}

/**
 * The kinds whose events a `ref` sends in-process, and which ingest each one takes, by group and
 * kind: the registry may hold its own copy of a definition (e.g. with the tenant's schema added).
 */
const IN_PROCESS_KINDS = new Map<string, IngressTarget['kind']>(
  ([[brokerKind, 'broker'], [channelKind, 'channel'], [inMemoryChannelKind, 'channel'], [kafkaChannelKind, 'channel']] as Array<[KindDefinition, IngressTarget['kind']]>).map(([kind, target]) => [kindKey(kind), target]),
);

function kindKey(kind: KindDefinition): string {
  return `${kind.group}/${kind.kind}`;
}

/**
 * Resolves Destinations into Sinks. A `ref` (without `uri`) to a Broker or channel of the same
 * namespace, or any URL of this Junction's own ingress for that namespace, becomes in-process
 * ingest (quotas and metrics apply; no HTTP, no token). Everything else is delivered over HTTP by
 * `deliverer`, retried per the DeliverySpec over DEFAULT_SINK_DELIVERY. Throws
 * JUNCTION_RESOURCE_NOT_FOUND while a ref does not exist or has no address yet.
 */
export function createSinkResolver(deps: SinkResolverDependencies): SinkResolver {
  return {
    resolve(namespace: string, destination: Destination, delivery?: DeliverySpec): Sink {
      const uri = resolveDestination(deps.resources, destination, namespace);
      const target = referencedTarget(deps.resources, destination, namespace) ?? sameNamespace(ownIngressTarget(uri, new URL(deps.ownUrl()).origin), namespace);
      if (target) return inProcessSink(deps.ingest, uri, target);
      const { policy } = resolveDelivery(deps.resources, delivery, DEFAULT_SINK_DELIVERY, namespace);
      return httpSink(deps.deliverer, uri, policy, namespace);
    },
  };
}

/** The broker or channel a bare `ref` names in the sink's own namespace, if it is one. */
function referencedTarget(resources: ResourceService, destination: Destination, namespace: string): IngressTarget | undefined {
  const { ref } = destination;
  if (!ref || destination.uri !== undefined || (ref.namespace ?? namespace) !== namespace) return undefined;
  const kind = IN_PROCESS_KINDS.get(kindKey(resources.kinds.forDocument(ref.apiVersion, ref.kind)));
  return kind && { kind, namespace, name: ref.name };
}

/** Only a namespace's own broker or channel is ingested in-process: another tenant's is reached over HTTP, where auth decides. */
function sameNamespace(target: IngressTarget | undefined, namespace: string): IngressTarget | undefined {
  return target?.namespace === namespace ? target : undefined;
}

function inProcessSink(ingest: IngestService, uri: string, target: IngressTarget): Sink {
  return {
    uri,
    inProcess: true,
    async send(events: CloudEvent[], options?: { signal?: AbortSignal }): Promise<void> {
      options?.signal?.throwIfAborted();
      if (events.length === 0) return;
      // Copies: ingest stamps what it is given, and the caller may send the same events again.
      await ingest.into(target, events.map((event) => ({ ...event })));
    },
  };
}

/** Delivers one event after the other (a source's order is kept); the first that fails ends the send. */
function httpSink(deliverer: Deliverer, uri: string, policy: DeliveryPolicy, namespace: string): Sink {
  return {
    uri,
    inProcess: false,
    async send(events: CloudEvent[], options?: { signal?: AbortSignal }): Promise<void> {
      for (const event of events) {
        const result = await deliverer.deliver(event, uri, policy, options?.signal, namespace);
        // A dead-lettered event is parked where the user asked: the sink's delivery spec took care of it.
        if (result.outcome === 'failed') {
          throw createError('JUNCTION_SINK_UNAVAILABLE', `the sink ${new URL(uri).origin}${new URL(uri).pathname} did not accept event ${event.id} after ${result.attempts} attempt(s): ${result.error}`, {
            extra: { attempts: result.attempts, ...(result.status === undefined ? {} : { sinkStatus: result.status }) },
          });
        }
      }
    },
  };
}
