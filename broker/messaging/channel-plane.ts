import type { Logger } from 'pino';
import type { Channel, ChannelRegistry } from '../../channels/index.js';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';
import type { Deliverer } from '../delivery/index.js';
import type { TriggerTarget } from '../dispatcher/trigger-target.js';
import { CHANNEL_LABEL_PREFIX, type BrokerMetrics } from '../metrics.js';
import { appendDurably, closeHosted, engineChannelName, openDispatched, type AnyDispatcher } from '../runtime/hosted-channel.js';

/** A messaging channel that is running: its engine channel and the dispatcher of its subscriptions. */
export interface ChannelInstance {
  namespace: string;
  name: string;
  uid: string;
  engine: string;
  channel?: Channel;
  dispatcher?: AnyDispatcher;
  notReady?: { reason: string; message: string };
}

/** Settings of the channel plane taken from the validated config. */
export interface ChannelPlaneOptions {
  engineSettings: Record<string, Record<string, unknown>>;
  queueLimit: number;
}

/**
 * Hosts the channels of messaging.knative.dev (InMemoryChannel, KafkaChannel, Channel): one engine
 * channel each, fanned out to its Subscriptions. Replies go where each subscription says, never
 * back into the channel (Knative's channel semantics).
 */
export class ChannelPlane {
  private readonly hosted = new Map<string, ChannelInstance>();
  private draining = false;

  constructor(
    private readonly channels: ChannelRegistry,
    private readonly deliverer: Deliverer,
    private readonly metrics: BrokerMetrics,
    private readonly logger: Logger,
    private readonly options: ChannelPlaneOptions,
  ) {}

  /** Opens (or re-checks) the engine channel of a channel resource. */
  async ensure(namespace: string, name: string, uid: string, engine: string, settings: Record<string, unknown>): Promise<ChannelInstance> {
    const key = `${namespace}/${name}`;
    const existing = this.hosted.get(key);
    if (existing && existing.uid === uid && existing.engine === engine && existing.channel) return existing;
    if (existing) await this.close(existing, existing.uid !== uid);
    const instance: ChannelInstance = { namespace, name, uid, engine };
    this.hosted.set(key, instance);
    try {
      const opened = await openDispatched(this.channels.get(engine), this.engineName(instance), { ...this.options.engineSettings[engine], ...settings }, {
        deliverer: this.deliverer,
        metrics: this.metrics,
        logger: this.logger,
        queueLimit: this.options.queueLimit,
        // Subscriptions always carry their own reply handling; this is never reached.
        publishReply: async () => undefined,
      });
      instance.channel = opened.channel;
      instance.dispatcher = opened.dispatcher;
    } catch (error) {
      instance.notReady = { reason: 'ChannelUnavailable', message: (error as Error).message };
      this.logger.warn({ channel: key, engine, err: (error as Error).message }, 'channel could not be opened');
    }
    return instance;
  }

  /** The channel engines (health of the ones on servers). */
  get engines(): ChannelRegistry {
    return this.channels;
  }

  get(namespace: string, name: string): ChannelInstance | undefined {
    return this.hosted.get(`${namespace}/${name}`);
  }

  /** Makes events durable in a channel; resolves once they are (the moment ingress may answer 202). */
  async ingest(namespace: string, name: string, events: CloudEvent[]): Promise<void> {
    if (this.draining) throw createError('JUNCTION_SHUTTING_DOWN');
    const instance = this.hosted.get(`${namespace}/${name}`);
    if (!instance) throw createError('JUNCTION_CHANNEL_NOT_FOUND', `channel ${namespace}/${name} does not exist`);
    if (!instance.channel || !instance.dispatcher) {
      throw createError('JUNCTION_CHANNEL_NOT_READY', `channel ${namespace}/${name} is not ready: ${instance.notReady?.message ?? 'starting'}`);
    }
    if (events.length === 0) return;
    await appendDurably(instance.channel, events, this.logger, { channel: `${namespace}/${name}` });
    this.metrics.channelReceived.inc({ namespace, channel: name }, events.length);
  }

  /** Adds or updates a subscription's delivery on its channel. */
  upsertSubscription(instance: ChannelInstance, target: TriggerTarget): void {
    instance.dispatcher?.upsert(target, {});
  }

  /** Stops a subscription; `forget` drops its position (subscription deleted). */
  async removeSubscription(namespace: string, channel: string, uid: string, forget: boolean): Promise<void> {
    await this.hosted.get(`${namespace}/${channel}`)?.dispatcher?.remove(uid, forget);
  }

  /** Stops a deleted channel and deletes its events, unless `retain` keeps them on an engine on a server. */
  async remove(namespace: string, name: string, uid: string | undefined, retain = false): Promise<void> {
    const key = `${namespace}/${name}`;
    const existing = this.hosted.get(key);
    if (!existing || (uid && existing.uid !== uid)) return;
    this.hosted.delete(key);
    await this.close(existing, !(retain && this.channels.isRemote(existing.engine)));
    await this.metrics.forget({ namespace, channel: name });
    await this.metrics.forget({ namespace, broker: `${CHANNEL_LABEL_PREFIX}${name}` });
  }

  /** True when the namespace holds at least one channel. */
  hasNamespace(namespace: string): boolean {
    for (const instance of this.hosted.values()) if (instance.namespace === namespace) return true;
    return false;
  }

  /** Refuses new events, lets in-flight deliveries finish for up to `graceMs`, closes every channel. */
  async stop(graceMs: number): Promise<void> {
    this.draining = true;
    await Promise.all([...this.hosted.values()].map((instance) => closeHosted(instance, graceMs)));
    this.hosted.clear();
  }

  private engineName(instance: Pick<ChannelInstance, 'namespace' | 'name' | 'uid' | 'engine'>): string {
    return engineChannelName('channel', instance, this.channels.isRemote(instance.engine));
  }

  private close(instance: ChannelInstance, destroy: boolean): Promise<void> {
    return closeHosted(instance, 0, destroy ? { engines: this.channels, kind: instance.engine, name: this.engineName(instance) } : undefined);
  }
}

