import type { Logger } from 'pino';
import type { Channel, ChannelRecord, ChannelRegistry } from '../../channels/index.js';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/index.js';
import { appendDurably, closeHosted, engineChannelName, openDispatched, type AnyDispatcher } from './hosted-channel.js';
import type { TriggerTarget } from '../dispatcher/trigger-target.js';
import type { Deliverer } from '../delivery/index.js';
import type { BrokerMetrics } from '../metrics.js';
import type { TriggerSpec } from '../resources/trigger-kind.js';

/** Extension holding the broker hop budget; decremented per reply, the event dropped at 0 (stops reply loops). */
export const TTL_EXTENSION = 'knativebrokerttl';
/** Extension the broker stamps with the time it accepted the event. */
export const ARRIVAL_EXTENSION = 'knativearrivaltime';

/** Settings of the broker data plane taken from the validated config. */
export interface BrokerPlaneOptions {
  defaultChannel: string;
  channelSettings: Record<string, Record<string, unknown>>;
  defaultTtl: number;
  queueLimit: number;
}

/** A broker that is running: its channel (when it could be opened) and its dispatcher. */
export interface BrokerInstance {
  namespace: string;
  name: string;
  uid: string;
  channelKind: string;
  channel?: Channel;
  /** Log engines (sqlite, memory): one read fanned out to every trigger; group engines: one consumer group per trigger. */
  dispatcher?: AnyDispatcher;
  /** Why the broker is not ready, when it is not. */
  notReady?: { reason: string; message: string };
}

/** Listener told about every event a broker accepted (EventType recording, dashboards). */
export type IngestListener = (broker: BrokerInstance, events: CloudEvent[]) => void;

/**
 * Settings every broker's engine channel gets: a trigger's consumer group (`<namespace>.<trigger>`,
 * see triggerGroupName) is unique across brokers, so on Kafka it is `junction.<namespace>.<trigger>`
 * rather than qualified by the topic.
 */
const BROKER_ENGINE_SETTINGS: Record<string, Record<string, unknown>> = { kafka: { consumerGroupScope: 'cluster' } };

/** Runs every broker's channel and dispatcher; ingress, replies and sources all ingest through it. */
export class BrokerPlane {
  private readonly brokers = new Map<string, BrokerInstance>();
  private readonly ingestListeners = new Set<IngestListener>();
  private draining = false;

  constructor(
    private readonly channels: ChannelRegistry,
    private readonly deliverer: Deliverer,
    private readonly metrics: BrokerMetrics,
    private readonly logger: Logger,
    private readonly options: BrokerPlaneOptions,
  ) {}

  /** Opens (or re-checks) a broker's channel and dispatcher; returns the running instance. */
  async ensureBroker(resource: Resource, channelKind: string | undefined, settings: Record<string, unknown> = {}): Promise<BrokerInstance> {
    const namespace = resource.metadata.namespace ?? 'default';
    const key = `${namespace}/${resource.metadata.name}`;
    const kind = channelKind ?? this.options.defaultChannel;
    const existing = this.brokers.get(key);
    if (existing && existing.uid === resource.metadata.uid && existing.channelKind === kind && existing.channel) return existing;
    if (existing) await this.closeBroker(existing, existing.uid !== resource.metadata.uid);
    const instance: BrokerInstance = { namespace, name: resource.metadata.name, uid: resource.metadata.uid ?? '', channelKind: kind };
    this.brokers.set(key, instance);
    try {
      const engineSettings = { ...BROKER_ENGINE_SETTINGS[kind], ...this.options.channelSettings[kind], ...settings };
      const { channel, dispatcher } = await openDispatched(this.channels.get(kind), this.channelName(instance), engineSettings, {
        deliverer: this.deliverer,
        metrics: this.metrics,
        logger: this.logger,
        queueLimit: this.options.queueLimit,
        publishReply: (reply: CloudEvent, original: CloudEvent) => this.publishReply(instance, reply, original),
      });
      instance.channel = channel;
      instance.dispatcher = dispatcher;
    } catch (error) {
      instance.notReady = { reason: 'ChannelUnavailable', message: (error as Error).message };
      this.logger.warn({ broker: key, channel: kind, err: (error as Error).message }, 'broker channel could not be opened');
    }
    return instance;
  }

  /**
   * Stops a deleted broker and deletes its events, unless `retain` asks to keep them on an engine on a
   * server (embedded engines name their data after the uid: it could never be found again).
   */
  async removeBroker(namespace: string, name: string, uid: string | undefined, retain = false): Promise<void> {
    const key = `${namespace}/${name}`;
    const existing = this.brokers.get(key);
    if (!existing || (uid && existing.uid !== uid)) return;
    this.brokers.delete(key);
    await this.closeBroker(existing, !(retain && this.channels.isRemote(existing.channelKind)));
    await this.metrics.forget({ namespace, broker: name });
  }

  /** True when the namespace holds at least one broker (metrics label refusals of other namespaces alike). */
  hasNamespace(namespace: string): boolean {
    for (const broker of this.brokers.values()) if (broker.namespace === namespace) return true;
    return false;
  }

  /** The channel engines (health of the ones on servers). */
  get engines(): ChannelRegistry {
    return this.channels;
  }

  get(namespace: string, name: string): BrokerInstance | undefined {
    return this.brokers.get(`${namespace}/${name}`);
  }

  all(): BrokerInstance[] {
    return [...this.brokers.values()];
  }

  onIngest(listener: IngestListener): () => void {
    this.ingestListeners.add(listener);
    return () => this.ingestListeners.delete(listener);
  }

  /**
   * Makes events durable in a broker and resolves once they are (the moment ingress may answer 202).
   * Stamps knativearrivaltime and a default TTL on the given objects (the plane takes them over:
   * callers hand in events they do not use afterwards). Throws catalog errors (404/503) otherwise.
   */
  async ingest(namespace: string, name: string, events: CloudEvent[]): Promise<ChannelRecord[]> {
    if (this.draining) throw createError('JUNCTION_SHUTTING_DOWN');
    const broker = this.brokers.get(`${namespace}/${name}`);
    if (!broker) throw createError('JUNCTION_BROKER_NOT_FOUND', `broker ${namespace}/${name} does not exist`);
    return this.append(broker, events.map((event) => this.stamp(event, undefined)));
  }

  /** Upserts a trigger's delivery worker on its broker. */
  upsertTrigger(broker: BrokerInstance, target: TriggerTarget, spec: TriggerSpec, previousOrdered?: boolean): void {
    broker.dispatcher?.upsert(target, { filter: spec.filter, filters: spec.filters }, previousOrdered);
  }

  /** Stops a trigger's worker; `forget` drops its position (trigger deleted). */
  async removeTrigger(namespace: string, brokerName: string, uid: string, forget: boolean): Promise<void> {
    await this.brokers.get(`${namespace}/${brokerName}`)?.dispatcher?.remove(uid, forget);
  }

  /** Refuses new events, lets in-flight deliveries finish for up to `graceMs`, saves positions, closes channels. */
  async stop(graceMs: number): Promise<void> {
    this.draining = true;
    await Promise.all([...this.brokers.values()].map((broker) => broker.dispatcher?.stop(graceMs)));
    await Promise.all([...this.brokers.values()].map((broker) => broker.channel?.close().catch(() => undefined)));
    this.brokers.clear();
  }

  private async append(broker: BrokerInstance, events: CloudEvent[]): Promise<ChannelRecord[]> {
    if (!broker.channel || !broker.dispatcher) {
      throw createError('JUNCTION_BROKER_NOT_READY', `broker ${broker.namespace}/${broker.name} is not ready: ${broker.notReady?.message ?? 'starting'}`);
    }
    if (events.length === 0) return [];
    const records = await appendDurably(broker.channel, events, this.logger, { broker: `${broker.namespace}/${broker.name}` });
    this.metrics.received.inc({ namespace: broker.namespace, broker: broker.name }, events.length);
    for (const listener of this.ingestListeners) listener(broker, events);
    return records;
  }

  /** Stamps in place: the plane owns the events given to ingest (parsed for it by ingress, or a reply). */
  private stamp(event: CloudEvent, ttl: number | undefined): CloudEvent {
    event[ARRIVAL_EXTENSION] = arrivalTime();
    if (ttl !== undefined) event[TTL_EXTENSION] = ttl;
    else if (!isPositiveInteger(event[TTL_EXTENSION])) event[TTL_EXTENSION] = this.options.defaultTtl;
    return event;
  }

  private async publishReply(broker: BrokerInstance, reply: CloudEvent, original: CloudEvent): Promise<void> {
    const current = Number(original[TTL_EXTENSION] ?? this.options.defaultTtl);
    const ttl = (Number.isFinite(current) ? current : this.options.defaultTtl) - 1;
    if (ttl <= 0) {
      this.metrics.dropped.inc({ namespace: broker.namespace, broker: broker.name, reason: 'ttl-exhausted' });
      this.logger.warn({ broker: `${broker.namespace}/${broker.name}`, eventId: reply.id, type: reply.type }, 'reply dropped: knativebrokerttl exhausted (reply loop?)');
      return;
    }
    try {
      await this.append(broker, [this.stamp(reply, ttl)]);
      this.metrics.replies.inc({ namespace: broker.namespace, broker: broker.name });
    } catch (error) {
      this.metrics.dropped.inc({ namespace: broker.namespace, broker: broker.name, reason: 'reply-not-stored' });
      this.logger.error({ broker: `${broker.namespace}/${broker.name}`, eventId: reply.id, err: (error as Error).message }, 'reply could not be stored');
    }
  }

  private channelName(instance: Pick<BrokerInstance, 'namespace' | 'name' | 'uid' | 'channelKind'>): string {
    return engineChannelName('broker', instance, this.channels.isRemote(instance.channelKind));
  }

  private closeBroker(instance: BrokerInstance, destroy: boolean): Promise<void> {
    return closeHosted(instance, 0, destroy ? { engines: this.channels, kind: instance.channelKind, name: this.channelName(instance) } : undefined);
  }
}


let lastArrivalMs = 0;
let lastArrival = '';
/** The current time in RFC 3339, formatted once per millisecond (ingress stamps thousands per second). */
function arrivalTime(): string {
  const now = Date.now();
  if (now !== lastArrivalMs) {
    lastArrivalMs = now;
    lastArrival = new Date(now).toISOString();
  }
  return lastArrival;
}

function isPositiveInteger(value: unknown): boolean {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0;
}
