import { join } from 'node:path';
import { deleteStreams } from '../support/nats-streams.js';
import { deleteRabbitmqObjects } from '../support/rabbitmq-admin.js';

/** How bench/channels runs one engine: the junction.yaml it needs, and what to remove afterwards. */
export interface EngineSetup {
  engine: string;
  prepare(): Promise<{ configYaml?: string; entry?: string; /** Shown after the engine's name. */ note?: string; /** At most this many events per run (a server that keeps only so much). */ maxEvents?: number; cleanup(): Promise<void> }>;
}

const runId = `${process.pid}_${Date.now().toString(36)}`;
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Partitions of the broker's Kafka topic (`--kafka-partitions`, passed on as BENCH_KAFKA_PARTITIONS). */
export function mockKafkaPartitions(): number {
  const partitions = Number(process.env.BENCH_KAFKA_PARTITIONS ?? 1);
  return Number.isInteger(partitions) && partitions >= 1 ? partitions : 1;
}

/** Every engine the bench knows, against the servers on loopback (NATS_URL, RABBITMQ_URL, KAFKA_BROKERS point elsewhere). */
export const engineSetups: EngineSetup[] = [
  { engine: 'sqlite', prepare: async () => ({ cleanup: async () => undefined }) },
  { engine: 'memory', prepare: async () => ({ cleanup: async () => undefined }) },
  {
    engine: 'nats',
    prepare: async () => {
      const prefix = `JBENCH_${runId}`;
      return {
        configYaml: `channels:\n  nats:\n    servers: ["${NATS_URL}"]\n    streamPrefix: ${prefix}\n    subjectPrefix: ${prefix.toLowerCase()}\n`,
        cleanup: () => deleteStreams(NATS_URL, prefix),
      };
    },
  },
  {
    engine: 'rabbitmq',
    prepare: async () => {
      const prefix = `junction-bench-${runId}`;
      return { configYaml: `channels:\n  rabbitmq:\n    url: ${RABBITMQ_URL}\n    prefix: ${prefix}\n`, cleanup: () => deleteRabbitmqObjects(RABBITMQ_URL, prefix) };
    },
  },
  {
    engine: 'kafka',
    prepare: async () => {
      const external = process.env.KAFKA_BROKERS?.trim();
      if (external) {
        const brokers = external.split(',').map((broker) => JSON.stringify(broker.trim()));
        const partitions = mockKafkaPartitions();
        return {
          configYaml: `channels:\n  kafka:\n    brokers: [${brokers.join(', ')}]\n    topicPrefix: junction-bench-${runId}.\n    defaults:\n      numPartitions: ${partitions}\n`,
          note: partitions > 1 ? `${partitions} partitions` : undefined,
          cleanup: async () => undefined,
        };
      }
      // librdkafka's mock cluster, started with Junction in one process (it goes away with it). It
      // keeps only the newest 5 MB per partition: runs stay under that, or unread events vanish.
      const partitions = mockKafkaPartitions();
      return {
        entry: join(import.meta.dirname, 'junction-on-mock-kafka.js'),
        note: `mock cluster${partitions > 1 ? `, ${partitions} partitions` : ''}`,
        maxEvents: 4000 * partitions,
        cleanup: async () => undefined,
      };
    },
  },
];
