import type { KafkaChannelOptions } from '../../channels/kafka/index.js';
import { KafkaMockCluster, mockClusterOptions } from '../../bench/support/kafka-mock.js';

// The mock cluster itself lives in bench/support: the benchmarks run on it too.
export { KafkaMockCluster, mockClusterOptions } from '../../bench/support/kafka-mock.js';

/** The cluster a test file runs against, and the engine options that go with it. */
export interface KafkaTestCluster {
  brokers: string[];
  /** Extra engine options the cluster needs (the mock: topics via the helper, no idempotence). */
  options: Partial<KafkaChannelOptions>;
  stop(): Promise<void>;
}

/** `KAFKA_BROKERS` (comma-separated host:port) when set, else a private mock cluster. */
export async function startKafkaForTests(): Promise<KafkaTestCluster> {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) {
    // Brokers reject session timeouts under group.min.session.timeout.ms (6 s by default).
    return { brokers: external.split(',').map((broker) => broker.trim()), options: { sessionTimeoutMs: 10_000 }, stop: () => Promise.resolve() };
  }
  const mock = await KafkaMockCluster.start();
  return { brokers: mock.brokers, options: mockClusterOptions(mock), stop: () => mock.stop() };
}
