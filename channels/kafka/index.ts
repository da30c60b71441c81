/** The kafka channel engine: a Channel per Kafka topic, consumer groups as Kafka consumer groups. */
export { KafkaChannelFactory, type KafkaChannelOptions } from './kafka-factory.js';
export type { KafkaChannelSettings, KafkaTopicSpec } from './kafka-settings.js';
export type { KafkaTopicAdmin } from './topic-admin.js';
export type { KafkaEngineLogger } from './kafka-logging.js';
