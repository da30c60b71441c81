import type { SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import { createError } from '../../core/errors.js';
import type { Channel, ChannelFactory } from '../channel.js';
import { OpeningCache } from '../opening-cache.js';
import { connectClients, type KafkaClients } from './kafka-clients.js';
import { KafkaChannel } from './kafka-channel.js';
import { kafkaClosed, kafkaUnavailable } from './kafka-errors.js';
import type { KafkaEngineLogger } from './kafka-logging.js';
import { checkTopicName, parseKafkaSettings, type KafkaChannelSettings } from './kafka-settings.js';
import { MAX_PARTITIONS } from './partitioning.js';
import { rejectUnknownOptions } from '../settings.js';
import { clusterTopicAdmin, type KafkaTopicAdmin } from './topic-admin.js';

/** Options of the kafka engine (junction.yaml maps onto this); per-channel settings go to `open`. */
export interface KafkaChannelOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Client id the brokers see (default `junction`). */
  clientId?: string;
  /** TLS: true, or Node TLS options (CA, client certificate). */
  ssl?: boolean | ConnectionOptions;
  /** SASL (plain, scram-sha-256/512, aws, oauthbearer), as kafkajs takes it. */
  sasl?: SASLOptions;
  /** Channel `name` lives in topic `<topicPrefix><name>` (default `junction.`). */
  topicPrefix?: string;
  /** Group `g` of channel `name` is Kafka consumer group `<groupPrefix><name>.<g>` (default `junction.`; `<groupPrefix><g>` for a channel opened with `consumerGroupScope: cluster`). */
  groupPrefix?: string;
  /** Settings for channels whose `open` settings leave them out. */
  defaults?: KafkaChannelSettings;
  /** Idempotent producer (default true). The cluster must answer InitProducerId via its controller. */
  idempotent?: boolean;
  /** Consumer group session timeout (default 30000 ms): how fast a vanished member's partitions move on. */
  sessionTimeoutMs?: number;
  /** Longest a fetch waits for new records (default 1000 ms); also bounds how long leaving a group takes. */
  maxWaitMs?: number;
  /** TCP connect timeout per broker (default 3000 ms). */
  connectionTimeoutMs?: number;
  /** Request timeout, including waiting for acks=all (default 30000 ms). */
  requestTimeoutMs?: number;
  /** Retries of a failed request, with exponential backoff, before an operation fails (default 5). */
  retries?: number;
  /**
   * A consumer that has fetched nothing from one of its partitions for this long while records wait
   * there leaves its group and joins again (default 15000 ms; doubles while it keeps happening).
   */
  fetchStallMs?: number;
  /** Creates and deletes topics (default: the cluster's CreateTopics and DeleteTopics APIs). */
  topicAdmin?: KafkaTopicAdmin;
  /** Receives kafkajs errors and engine warnings (never credentials); silent when absent. */
  logger?: KafkaEngineLogger;
}

/** Every key of KafkaChannelOptions (checked, so a typo in junction.yaml is an error). */
const OPTION_KEYS = ['brokers', 'clientId', 'ssl', 'sasl', 'topicPrefix', 'groupPrefix', 'defaults', 'idempotent', 'sessionTimeoutMs', 'maxWaitMs', 'connectionTimeoutMs', 'requestTimeoutMs', 'retries', 'fetchStallMs', 'topicAdmin', 'logger'] as const;

/** How often, and how patiently, a connected factory checks that the cluster still answers. */
const HEALTH_INTERVAL_MS = 3000;
const HEALTH_TIMEOUT_MS = 2000;

/**
 * The `kafka` engine: one topic per channel, records in the CloudEvents Kafka binding (binary
 * mode), appends acknowledged by all in-sync replicas, one Kafka consumer group per channel group
 * with positions committed only after acks. Connects on the first `open`; durable.
 */
export class KafkaChannelFactory implements ChannelFactory {
  readonly kind = 'kafka';
  readonly durable = true;
  private clients: Promise<KafkaClients> | undefined;
  private readonly channels = new OpeningCache<KafkaChannel>();
  /** Channels opened on an external topic (never created nor deleted here), by channel name. */
  private readonly externalTopics = new Map<string, string>();
  private closing: Promise<void> | undefined;
  private probe: NodeJS.Timeout | undefined;
  private unreachable: string | undefined;

  constructor(private readonly options: KafkaChannelOptions) {
    rejectUnknownOptions('kafka', options, OPTION_KEYS);
    const brokers = options.brokers;
    if (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((broker) => typeof broker === 'string' && /^[^\s:]+:\d+$/.test(broker))) {
      throw createError('JUNCTION_CONFIG_INVALID', 'kafka: brokers must be a non-empty list of host:port', {
        problems: [{ path: 'brokers', message: 'must be a non-empty list of host:port' }],
      });
    }
    parseKafkaSettings({}, options.defaults);
  }

  /**
   * Opens channel `name`, creating its topic when missing; settings: numPartitions, replicationFactor,
   * retentionDuration, consumerGroupScope, and `topic` for an existing (external) topic used as it is.
   */
  open(name: string, settings: Record<string, unknown> = {}): Promise<Channel> {
    if (this.closing) return Promise.reject(kafkaClosed('the kafka channel factory'));
    return this.channels.open(name, (forget) => this.openChannel(name, settings, forget));
  }

  /** Deletes a channel's topic (its records) and the consumer groups this process knew for it. */
  async drop(name: string): Promise<void> {
    if (this.closing) throw kafkaClosed('the kafka channel factory');
    const channel = await this.channels.get(name)?.catch(() => undefined);
    const groupIds = channel?.groupIds() ?? [];
    await channel?.close();
    const clients = await this.connect();
    const topic = this.topicOf(name);
    // An external topic belongs to whoever made it: its records stay.
    if (!this.externalTopics.has(name)) {
      try {
        await this.topicAdmin(clients).delete(topic);
      } catch (error) {
        throw kafkaUnavailable(error, `deleting topic ${topic}`, this.options.brokers);
      }
    }
    this.externalTopics.delete(name);
    // Kafka forgets a deleted topic's offsets by itself; removing the emptied groups is a courtesy.
    if (groupIds.length > 0) await clients.admin.deleteGroups(groupIds).catch(() => undefined);
  }

  /**
   * Undefined while the cluster answers, else why not. Checked by a metadata request every few
   * seconds once connected (kafkajs reconnects by itself; this only reports what it sees).
   */
  health(): string | undefined {
    return this.closing ? undefined : this.unreachable;
  }

  /** Closes every channel (pending appends finish, acked positions are committed), then the connections. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.probe);
      const opened = await Promise.allSettled([...this.channels.values()]);
      await Promise.all(opened.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
      const clients = await this.clients?.catch(() => undefined);
      await clients?.disconnect();
    })();
    return this.closing;
  }

  private async openChannel(name: string, settings: Record<string, unknown>, onClosed: () => void): Promise<KafkaChannel> {
    const spec = parseKafkaSettings(settings, this.options.defaults);
    const topic = spec.externalTopic ?? this.topicOf(name);
    checkTopicName(topic);
    const clients = await this.connect();
    let partitions = 0;
    let exists = true;
    try {
      // Listing does not create (a metadata request for one topic may, where auto-creation is on).
      if (spec.externalTopic) exists = (await clients.admin.listTopics()).includes(topic);
      else await this.topicAdmin(clients).create(topic, spec);
      if (exists) partitions = (await clients.admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.length ?? 0;
    } catch (error) {
      throw kafkaUnavailable(error, `opening channel "${name}" (topic ${topic})`, this.options.brokers);
    }
    if (!exists) throw createError('JUNCTION_CHANNEL_NOT_FOUND', `kafka topic ${topic} does not exist (the external topic of channel "${name}" is not created by Junction)`);
    if (spec.externalTopic) this.externalTopics.set(name, topic);
    else this.externalTopics.delete(name);
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw createError('JUNCTION_CONFIG_INVALID', `kafka topic ${topic} has ${partitions} partitions; a channel needs 1 to ${MAX_PARTITIONS}`);
    }
    const options = this.options;
    return new KafkaChannel(
      name,
      {
        clients,
        topic,
        partitions,
        groupPrefix: `${options.groupPrefix ?? 'junction.'}${spec.consumerGroupScope === 'channel' ? `${name}.` : ''}`,
        brokers: options.brokers,
        sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
        maxWaitMs: options.maxWaitMs ?? 1000,
        retries: options.retries ?? 5,
        requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
        fetchStallMs: options.fetchStallMs ?? 15_000,
        logger: options.logger,
      },
      onClosed,
    );
  }

  private connect(): Promise<KafkaClients> {
    const options = this.options;
    this.clients ??= connectClients({
      brokers: options.brokers,
      clientId: options.clientId ?? 'junction',
      ssl: options.ssl,
      sasl: options.sasl,
      connectionTimeoutMs: options.connectionTimeoutMs ?? 3000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      retries: options.retries ?? 5,
      idempotent: options.idempotent ?? true,
      logger: options.logger,
    }).then(
      (clients) => {
        this.startProbe(clients);
        return clients;
      },
      (error: unknown) => {
        this.clients = undefined;
        throw kafkaUnavailable(error, 'connecting', options.brokers);
      },
    );
    return this.clients;
  }

  private startProbe(clients: KafkaClients): void {
    if (this.probe || this.closing) return;
    let running = false;
    this.probe = setInterval(() => {
      if (running || this.closing) return;
      running = true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer')), HEALTH_TIMEOUT_MS)));
      Promise.race([clients.admin.describeCluster(), timeout])
        .then(
          () => (this.unreachable = undefined),
          (error: unknown) => (this.unreachable = kafkaUnavailable(error, 'checking the cluster', this.options.brokers).message),
        )
        .finally(() => {
          clearTimeout(timer);
          running = false;
        });
    }, HEALTH_INTERVAL_MS);
    this.probe.unref();
  }

  private topicAdmin(clients: KafkaClients): KafkaTopicAdmin {
    return this.options.topicAdmin ?? clusterTopicAdmin(clients.admin);
  }

  private topicOf(name: string): string {
    return this.externalTopics.get(name) ?? `${this.options.topicPrefix ?? 'junction.'}${name}`;
  }
}
