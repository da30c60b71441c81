import type { Logger } from 'pino';
import { hasLogAccess, type Channel, type ChannelFactory, type ChannelRecord, type ChannelRegistry } from '../../channels/index.js';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { createError, isJunctionError } from '../../core/errors.js';
import type { ResourceStatus } from '../../core/resources/index.js';
import type { DeliveryContext } from '../dispatcher/deliver-record.js';
import { BrokerDispatcher } from '../dispatcher/broker-dispatcher.js';
import { GroupDispatcher } from '../dispatcher/group-dispatcher.js';
import { triggerGroupName } from '../dispatcher/group-trigger-worker.js';
import { CHANNEL_ANNOTATION } from '../resources/broker-kind.js';

/** A dispatcher of either shape: log fan-out (sqlite, memory) or one consumer group per subscriber. */
export type AnyDispatcher = BrokerDispatcher | GroupDispatcher;

/**
 * Opens an engine channel and starts the dispatcher that fits it: log engines are read once and
 * fanned out through the filter index; engines with their own groups get one group per subscriber.
 */
export async function openDispatched(
  factory: ChannelFactory,
  name: string,
  settings: Record<string, unknown>,
  context: DeliveryContext & { queueLimit: number },
): Promise<{ channel: Channel; dispatcher: AnyDispatcher }> {
  const channel = await factory.open(name, settings);
  const dispatcher = hasLogAccess(channel) ? new BrokerDispatcher(channel, context) : new GroupDispatcher(channel, context);
  dispatcher.start();
  return { channel, dispatcher };
}

/**
 * Appends events durably; storage failures become JUNCTION_STORAGE_UNAVAILABLE with the details in
 * the log only (paths and driver messages never reach the producer).
 */
export async function appendDurably(channel: Channel, events: CloudEvent[], logger: Logger, label: Record<string, string>): Promise<ChannelRecord[]> {
  try {
    return await channel.append(events);
  } catch (error) {
    if (isJunctionError(error) && error.code !== 'JUNCTION_STORAGE_UNAVAILABLE') throw error;
    logger.error({ ...label, err: (error as Error).message }, 'append failed');
    throw createError('JUNCTION_STORAGE_UNAVAILABLE', 'the event could not be stored; nothing was accepted');
  }
}

/** What brokers and messaging channels have in common once running: an engine channel and its dispatcher. */
export interface HostedChannel {
  channel?: Channel;
  dispatcher?: AnyDispatcher;
}

/**
 * Stops a hosted channel's deliveries (in flight: up to `graceMs`) and closes it; with `drop`
 * (the engine kind and channel name) its events and positions are deleted for good.
 */
export async function closeHosted(hosted: HostedChannel, graceMs: number, drop?: { engines: ChannelRegistry; kind: string; name: string }): Promise<void> {
  await hosted.dispatcher?.stop(graceMs);
  await hosted.channel?.close().catch(() => undefined);
  if (drop) await drop.engines.get(drop.kind).drop?.(drop.name).catch(() => undefined);
}

/**
 * Status annotations of a broker or channel: `junction.dev/channel` names its engine, and for an
 * engine on a server `junction.dev/<engine>-<what>` tells where the events are (e.g.
 * `junction.dev/kafka-topic`), so operators can find the topic, stream or exchange.
 */
export function engineAnnotations(engine: string, channel: Channel | undefined): Record<string, string> {
  const annotations: Record<string, string> = { [CHANNEL_ANNOTATION]: engine };
  for (const [what, value] of Object.entries(channel?.location ?? {})) annotations[`junction.dev/${engine}-${what}`] = value;
  return annotations;
}

/**
 * Sets the status annotations of a trigger or subscription (`target`) whose channel is on an engine
 * that keeps consumer groups: `junction.dev/<engine>-<what>` names its group there (e.g.
 * `junction.dev/kafka-consumer-group`); removes them on an engine without such groups.
 */
export function locateGroup(status: ResourceStatus, engine: string, channel: Channel | undefined, target: { namespace: string; name: string }): void {
  const where = channel?.groupLocation?.(triggerGroupName(target));
  if (where) status.annotations = Object.fromEntries(Object.entries(where).map(([what, value]) => [`junction.dev/${engine}-${what}`, value]));
  else delete status.annotations;
}

/**
 * The engine channel of a Broker or a messaging Channel. On an engine on a server it is the same in
 * every Junction replica that has the resource, so replicas share its log and its consumer groups
 * (scale-out): `<ns>.<name>` for a broker (Kafka topic `junction.<ns>.<name>`), `<ns>.channel_<name>`
 * for a channel (`_` is in no Kubernetes name, so the two never meet). The embedded engines keep the
 * uid in the name: a broker deleted and created again starts empty.
 */
export function engineChannelName(kind: 'broker' | 'channel', resource: { namespace: string; name: string; uid: string }, remote: boolean): string {
  if (!remote) return `${kind}.${resource.namespace}.${resource.name}.${resource.uid.slice(0, 8)}`;
  return kind === 'broker' ? `${resource.namespace}.${resource.name}` : `${resource.namespace}.channel_${resource.name}`;
}
