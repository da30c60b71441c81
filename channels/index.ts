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
export { NatsChannelFactory, type NatsChannelOptions } from './nats/index.js';
export { RabbitMqChannelFactory, type RabbitMqChannelOptions } from './rabbitmq/index.js';
export { KafkaChannelFactory, type KafkaChannelOptions } from './kafka/index.js';
export { MemoryChannelFactory, type MemoryChannelOptions } from './memory/memory-factory.js';
export { SqliteChannelFactory, type SqliteChannelOptions } from './sqlite/sqlite-factory.js';
export type { SqliteDurability } from './sqlite/database.js';
export { groupCursorName } from './log/consumer-groups.js';
