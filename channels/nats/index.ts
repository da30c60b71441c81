/** The NATS JetStream channel engine. */
export { NatsChannelFactory } from './nats-factory.js';
export type { NatsChannelOptions, NatsChannelSettings } from './nats-options.js';
