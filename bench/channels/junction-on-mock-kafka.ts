import { startJunction } from '../../cli/start/app.js';
import { loadConfig } from '../../core/config/index.js';
import { KafkaMockCluster, mockClusterOptions } from '../support/kafka-mock.js';
import { mockKafkaPartitions } from './engines.js';

/**
 * `junction start` for bench/channels when no KAFKA_BROKERS is given: starts librdkafka's mock
 * cluster and Junction on it in this process (the mock needs engine options no YAML can carry),
 * then prints the same "Junction listening on" line. Usage: node junction-on-mock-kafka.js DATA_DIR
 * (BENCH_KAFKA_PARTITIONS: partitions of the broker's topic, default 1).
 */
const dataDir = process.argv[2] ?? '.junction-bench';
const partitions = mockKafkaPartitions();
const mock = await KafkaMockCluster.start(3);
const config = loadConfig({
  overrides: { 'http.port': 0, dataDir, 'log.level': 'error', 'channels.kafka': { brokers: mock.brokers, defaults: { numPartitions: partitions } } },
});
const junction = await startJunction(config, { engineOverrides: { kafka: mockClusterOptions(mock) } });
process.stdout.write(`Junction listening on ${junction.url}\n`);
process.once('SIGTERM', () => {
  void junction
    .close()
    .then(() => mock.stop())
    .finally(() => process.exit(0));
});
