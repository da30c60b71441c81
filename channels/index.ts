export {
  hasLogAccess,
  type Channel,
  type ChannelFactory,
  type ChannelMessage,
  type ChannelRecord,
  type ConsumeOptions,
  type Consumer,
  type LogAccess,
  type SeekTarget,
} from './channel.js';
export { ChannelRegistry } from './registry.js';
export { LazyChannelFactory } from './lazy-factory.js';
// The engines on servers (channels/nats, channels/rabbitmq, channels/kafka) are imported on demand
// from their own index, so their client libraries are loaded only when a broker uses them.
export { MemoryChannelFactory, type MemoryChannelOptions } from './memory/memory-factory.js';
export { SqliteChannelFactory, type SqliteChannelOptions } from './sqlite/sqlite-factory.js';
export type { SqliteDurability } from './sqlite/database.js';
export { groupCursorName } from './log/consumer-groups.js';
// Kafka's topic-name rule, for admission checks; kafka-settings.ts loads no Kafka client.
export { KAFKA_TOPIC_NAME } from './kafka/kafka-settings.js';
