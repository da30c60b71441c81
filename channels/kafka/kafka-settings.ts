import { createError } from '../../core/errors.js';
import { parseDurationMs } from '../../core/duration/index.js';
import { parseChannelSettings, type SettingsSchema } from '../settings.js';
import { MAX_PARTITIONS } from './partitioning.js';

/** Per-channel settings, named as Knative's KafkaChannel spec names them. */
export interface KafkaChannelSettings {
  /** Partitions of a new topic (default 1: one total order, dense offsets). */
  numPartitions?: number;
  /** Replicas of a new topic (default: 3, or fewer when the cluster has fewer brokers). */
  replicationFactor?: number;
  /** ISO-8601 duration records are kept (`retention.ms`; default PT168H, as Knative). */
  retentionDuration?: string;
  /**
   * Where the channel's group names are unique: `channel` (default) makes group `g` the Kafka
   * consumer group `<groupPrefix><channel>.<g>`; `cluster` makes it `<groupPrefix><g>`, for callers
   * whose group names are unique across channels (a broker's trigger groups are `<namespace>.<trigger>`).
   */
  consumerGroupScope?: 'channel' | 'cluster';
  /**
   * An existing topic to use, named in full (Knative's `kafka.eventing.knative.dev/external.topic`):
   * it is never created nor deleted by Junction, and must exist when the channel opens.
   */
  topic?: string;
}

/** What a new topic is created with. */
export interface KafkaTopicSpec {
  numPartitions: number;
  /** Undefined: 3, or fewer when the cluster has fewer brokers. */
  replicationFactor: number | undefined;
  retentionMs: number;
}

/** Kafka's rule for topic names: 1 to 249 of `[a-zA-Z0-9._-]` (and not `.` or `..`, see checkTopicName). */
export const KAFKA_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** A channel's parsed settings: its topic's spec and how its consumer groups are named. */
export interface KafkaChannelSpec extends KafkaTopicSpec {
  consumerGroupScope: 'channel' | 'cluster';
  /** The external topic, when the channel uses one. */
  externalTopic?: string;
}

/** Knative's default retention for KafkaChannel topics. */
export const DEFAULT_RETENTION = 'PT168H';

const ISO_DURATION = '^P(?!$)(\\d+(\\.\\d+)?Y)?(\\d+(\\.\\d+)?M)?(\\d+(\\.\\d+)?W)?(\\d+(\\.\\d+)?D)?(T(?=\\d)(\\d+(\\.\\d+)?H)?(\\d+(\\.\\d+)?M)?(\\d+(\\.\\d+)?S)?)?$';

const settingsSchema: SettingsSchema = {
  type: 'object',
  properties: {
    numPartitions: { type: 'integer', minimum: 1, maximum: MAX_PARTITIONS },
    replicationFactor: { type: 'integer', minimum: 1, maximum: 32767 },
    retentionDuration: { type: 'string', pattern: ISO_DURATION },
    consumerGroupScope: { enum: ['channel', 'cluster'] },
    topic: { type: 'string', pattern: KAFKA_TOPIC_NAME.source },
  },
};

/**
 * Validates `settings` (every problem reported at once as JUNCTION_CONFIG_INVALID) and fills in
 * `defaults`, giving the spec of the channel's topic and its consumer group naming.
 */
export function parseKafkaSettings(settings: Record<string, unknown>, defaults: KafkaChannelSettings = {}): KafkaChannelSpec {
  const merged = parseChannelSettings<KafkaChannelSettings>('kafka', settingsSchema, { ...defaults, ...settings });
  const retention = merged.retentionDuration ?? DEFAULT_RETENTION;
  const retentionMs = parseDurationMs(retention);
  if (retentionMs === undefined || retentionMs < 1) {
    throw createError('JUNCTION_CONFIG_INVALID', 'invalid kafka channel settings', {
      problems: [{ path: 'settings.retentionDuration', message: `must be a positive ISO-8601 duration such as P7D (got "${retention}")` }],
    });
  }
  return {
    numPartitions: merged.numPartitions ?? 1,
    replicationFactor: merged.replicationFactor,
    retentionMs: Math.round(retentionMs),
    consumerGroupScope: merged.consumerGroupScope ?? 'channel',
    ...(typeof settings.topic === 'string' ? { externalTopic: settings.topic } : {}),
  };
}

/** Kafka's rule for topic names: 1 to 249 of `[a-zA-Z0-9._-]`, and not `.` or `..`. */
export function checkTopicName(topic: string): void {
  if (KAFKA_TOPIC_NAME.test(topic) && topic !== '.' && topic !== '..') return;
  throw createError('JUNCTION_CONFIG_INVALID', `kafka topic name "${topic}" is not valid: use 1 to 249 of a-z A-Z 0-9 . _ -`, {
    problems: [{ path: 'name', message: 'must map to a Kafka topic name ([a-zA-Z0-9._-], at most 249 characters)' }],
  });
}
