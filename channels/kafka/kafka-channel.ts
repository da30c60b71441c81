import type { CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';
import type { Channel, ChannelMessage, ChannelRecord, ConsumeOptions, Consumer, SeekTarget } from '../channel.js';
import { AppendQueue } from './append-queue.js';
import { kafkaClosed, kafkaUnavailable } from './kafka-errors.js';
import type { KafkaClients } from './kafka-clients.js';
import { KafkaGroup } from './kafka-group.js';
import type { KafkaEngineLogger } from './kafka-logging.js';
import { OffsetCodec, Partitioner } from './partitioning.js';
import { fetchWatermarks, resolveSeekTarget, type PositionSource } from './positions.js';

/** What a channel gets from its factory. */
export interface ChannelContext {
  clients: KafkaClients;
  topic: string;
  partitions: number;
  groupPrefix: string;
  brokers: string[];
  sessionTimeoutMs: number;
  maxWaitMs: number;
  retries: number;
  requestTimeoutMs: number;
  fetchStallMs: number;
  logger?: KafkaEngineLogger;
}

/**
 * A Junction channel on one Kafka topic. Records are CloudEvents in the Kafka binding's binary
 * mode. `ChannelRecord.offset` is the Kafka offset when the topic has one partition (the default);
 * with several it is `kafkaOffset * 1024 + partition` (see OffsetCodec). `appendedAt` is the
 * record timestamp, set by this producer at append (CreateTime). Groups are Kafka consumer
 * groups named `<groupPrefix><group>` (the factory puts the channel's name in the prefix unless
 * the channel's group names are unique across channels).
 */
export class KafkaChannel implements Channel {
  private readonly appends: AppendQueue;
  private readonly offsets: OffsetCodec;
  private readonly groups = new Map<string, KafkaGroup>();
  private closing: Promise<void> | undefined;

  get location(): Readonly<Record<string, string>> {
    return { topic: this.context.topic };
  }

  groupLocation(group: string): Readonly<Record<string, string>> {
    return { 'consumer-group': this.groupId(group) };
  }

  constructor(
    readonly name: string,
    private readonly context: ChannelContext,
    private readonly onClosed: () => void,
  ) {
    this.offsets = new OffsetCodec(context.partitions);
    this.appends = new AppendQueue(context.clients.producer, context.topic, new Partitioner(context.partitions), this.offsets, context.requestTimeoutMs, (error) =>
      kafkaUnavailable(error, `append to channel "${name}" (topic ${context.topic})`, context.brokers),
    );
  }

  append(events: CloudEvent[]): Promise<ChannelRecord[]> {
    if (this.closing) return Promise.reject(kafkaClosed(`channel "${this.name}"`));
    if (events.length === 0) return Promise.resolve([]);
    return this.appends.append(events);
  }

  consume(group: string, options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer {
    if (this.closing) throw kafkaClosed(`channel "${this.name}"`);
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
      throw createError('JUNCTION_BAD_REQUEST', `maxInFlight must be a positive integer (got ${String(options.maxInFlight)})`);
    }
    return this.group(group).consume(options, handler);
  }

  seek(group: string, target: SeekTarget): Promise<void> {
    return this.run(`seek of group "${group}"`, async () => this.group(group).seek(await resolveSeekTarget(this.positionSource(), target)));
  }

  backlog(group: string): Promise<number> {
    return this.run(`backlog of group "${group}"`, async () => {
      return this.group(group).backlog(await fetchWatermarks(this.positionSource()));
    });
  }

  deleteGroup(group: string): Promise<void> {
    return this.run(`deletion of group "${group}"`, async () => {
      const existing = this.group(group);
      this.groups.delete(group);
      await existing.close();
      await existing.delete();
    });
  }

  /** The Kafka consumer group ids this channel used in this process. */
  groupIds(): string[] {
    return [...this.groups.keys()].map((group) => this.groupId(group));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.appends.flush();
      await Promise.all([...this.groups.values()].map((group) => group.close()));
      this.onClosed();
    })();
    return this.closing;
  }

  private group(name: string): KafkaGroup {
    let group = this.groups.get(name);
    if (!group) {
      const { clients, brokers, sessionTimeoutMs, maxWaitMs, retries, fetchStallMs, logger } = this.context;
      group = new KafkaGroup({ ...this.positionSource(), kafka: clients.kafka, groupId: this.groupId(name), brokers, sessionTimeoutMs, maxWaitMs, retries, fetchStallMs, logger });
      this.groups.set(name, group);
    }
    return group;
  }

  private groupId(group: string): string {
    return `${this.context.groupPrefix}${group}`;
  }

  private positionSource(): PositionSource {
    const { clients, topic } = this.context;
    return { admin: clients.admin, protocol: clients.protocol, appends: this.appends, topic, offsets: this.offsets };
  }

  private async run<T>(what: string, operation: () => Promise<T>): Promise<T> {
    if (this.closing) throw kafkaClosed(`channel "${this.name}"`);
    try {
      return await operation();
    } catch (error) {
      throw kafkaUnavailable(error, `${what} on channel "${this.name}"`, this.context.brokers);
    }
  }
}
