import { afterAll, beforeAll } from 'vitest';
import { KafkaChannelFactory } from '../../channels/kafka/index.js';
import { startKafkaForTests, type KafkaTestCluster } from '../support/kafka-mock.js';
import { describeChannelConformance } from './channel.suite.js';

// librdkafka's mock cluster (or KAFKA_BROKERS): started before the suite, stopped after it.
let cluster: KafkaTestCluster;
beforeAll(async () => {
  cluster = await startKafkaForTests();
});
afterAll(async () => {
  await cluster?.stop();
});

const runId = `${process.pid}-${Date.now().toString(36)}`;

describeChannelConformance(
  'kafka',
  () =>
    Promise.resolve(
      new KafkaChannelFactory({
        brokers: cluster.brokers,
        topicPrefix: `junction-test.${runId}.`,
        groupPrefix: `junction-test.${runId}.`,
        maxWaitMs: 250,
        ...cluster.options,
      }),
    ),
  { durable: true },
);
