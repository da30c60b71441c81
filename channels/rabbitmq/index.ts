/** The RabbitMQ channel engine: streams for the log, one durable single-active-consumer queue per group. */
export { RabbitMqChannelFactory } from './rabbitmq-factory.js';
export type { RabbitMqChannelOptions, RabbitMqChannelSettings } from './options.js';
