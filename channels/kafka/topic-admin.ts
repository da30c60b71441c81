import type { Admin } from 'kafkajs';
import type { KafkaTopicSpec } from './kafka-settings.js';

/** How the engine creates and deletes topics; replaceable for clusters without the admin APIs. */
export interface KafkaTopicAdmin {
  /** Creates `topic` when it does not exist yet; an existing topic is left as it is. */
  create(topic: string, spec: KafkaTopicSpec): Promise<void>;
  /** Deletes `topic` and its records for good; a missing topic is not an error. */
  delete(topic: string): Promise<void>;
}

/** The default: the cluster's CreateTopics / DeleteTopics APIs through kafkajs's admin client. */
export function clusterTopicAdmin(admin: Admin): KafkaTopicAdmin {
  return {
    async create(topic, spec) {
      const replicationFactor = spec.replicationFactor ?? Math.min(3, (await admin.describeCluster()).brokers.length);
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: spec.numPartitions, replicationFactor, configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }] }],
      });
    },
    async delete(topic) {
      try {
        await admin.deleteTopics({ topics: [topic] });
      } catch (error) {
        if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
      }
    },
  };
}
