import { describe, expect, it } from 'vitest';
import { KafkaChannelFactory, type KafkaChannelOptions } from '../../channels/kafka/index.js';
import { NatsChannelFactory, type NatsChannelOptions } from '../../channels/nats/index.js';
import { RabbitMqChannelFactory, type RabbitMqChannelOptions } from '../../channels/rabbitmq/index.js';

describe('engine options from junction.yaml', () => {
  it.each([
    ['nats', () => new NatsChannelFactory({ servers: ['nats://127.0.0.1:4222'], retention: 'P7D' } as NatsChannelOptions)],
    ['rabbitmq', () => new RabbitMqChannelFactory({ url: 'amqp://127.0.0.1:5672', prefx: 'junction' } as RabbitMqChannelOptions)],
    ['kafka', () => new KafkaChannelFactory({ brokers: ['127.0.0.1:9092'], topicPrefx: 'j.' } as KafkaChannelOptions)],
  ])('%s rejects a key it does not know, naming it (a typo is never silently ignored)', (kind, build) => {
    let error: (Error & { code?: string; problems?: Array<{ path: string }> }) | undefined;
    try {
      build();
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error?.code).toBe('JUNCTION_CONFIG_INVALID');
    expect(error?.message).toMatch(new RegExp(`unknown ${kind} option: (retention|prefx|topicPrefx)`));
    expect(error?.problems?.[0]?.path).toMatch(new RegExp(`^channels\\.${kind}\\.`));
  });

  it('accepts every documented key', () => {
    expect(() => new NatsChannelFactory({ servers: ['nats://127.0.0.1:4222'], streamPrefix: 'J', retentionMs: 1000, publishTimeoutMs: 1000 })).not.toThrow();
    expect(() => new RabbitMqChannelFactory({ url: 'amqp://127.0.0.1:5672', prefix: 'j', defaults: { queueType: 'quorum' } })).not.toThrow();
    expect(() => new KafkaChannelFactory({ brokers: ['127.0.0.1:9092'], topicPrefix: 'j.', groupPrefix: 'j.', idempotent: false })).not.toThrow();
  });
});
