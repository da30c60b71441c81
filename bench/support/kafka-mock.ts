import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KafkaChannelOptions, KafkaTopicAdmin } from '../../channels/kafka/index.js';

// The C source sits beside this file in the repo; from dist/bench/support (benchmarks) it is found back there.
const source = [new URL('./kafka-mock/helper.c', import.meta.url), new URL('../../../bench/support/kafka-mock/helper.c', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((path) => existsSync(path)) as string;
const cacheDirectory = join(dirname(source), '..', '..', '..', 'node_modules', '.cache', 'junction-kafka-mock');

/**
 * Compiles the mock-cluster helper (librdkafka's rd_kafka_mock_cluster) once per version of its
 * source, into node_modules/.cache; fails with the install hint when cc or librdkafka-dev is missing.
 */
export function buildKafkaMockHelper(): string {
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const binary = join(cacheDirectory, `helper-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDirectory, { recursive: true });
  const temporary = `${binary}.${process.pid}.tmp`;
  try {
    execFileSync('cc', ['-O2', '-o', temporary, source, '-lrdkafka'], { stdio: 'pipe' });
  } catch (error) {
    const detail = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
    throw new Error(`cannot build the Kafka mock cluster helper: it needs cc and librdkafka-dev (apt-get install -y librdkafka-dev, see docs/testing.md): ${detail}`);
  }
  // Atomic: test files running in parallel may build it at the same time.
  renameSync(temporary, binary);
  return binary;
}

/**
 * A private Kafka-protocol cluster (librdkafka's mock brokers) in a child process, for tests and benchmarks:
 * real produce, fetch, consumer groups and offset commits on loopback, with brokers that can be
 * taken down and brought back. It has no CreateTopics API (topics are made through the helper) and
 * no topic deletion (the whole cluster goes away at `stop`).
 */
export class KafkaMockCluster {
  private readonly replies: ((line: string) => void)[] = [];
  private exited = false;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly brokers: string[],
  ) {
    child.once('exit', () => {
      this.exited = true;
      for (const reply of this.replies.splice(0)) reply('error helper exited');
    });
  }

  /** Starts a cluster of `brokerCount` brokers and waits for its bootstrap list. */
  static start(brokerCount = 3): Promise<KafkaMockCluster> {
    const child = spawn(buildKafkaMockHelper(), [String(brokerCount)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      let buffer = '';
      let cluster: KafkaMockCluster | undefined;
      child.once('error', reject);
      child.once('exit', (code) => {
        if (!cluster) reject(new Error(`the Kafka mock cluster helper exited (${String(code)}) before starting: ${stderr.trim()}`));
      });
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (!cluster && line.startsWith('bootstraps ')) {
            cluster = new KafkaMockCluster(child, line.slice('bootstraps '.length).split(','));
            resolve(cluster);
          } else {
            cluster?.replies.shift()?.(line);
          }
        }
      });
    });
  }

  /** Creates `topic` with `partitions` partitions (replicated on up to 3 brokers). */
  createTopic(topic: string, partitions: number): Promise<void> {
    return this.command(`create ${topic} ${partitions}`, /Topic already exists/);
  }

  /** Disconnects broker `id` (or every broker) and refuses new connections; its data stays. */
  setDown(id: number | 'all'): Promise<void> {
    return this.command(`down ${id === 'all' ? -1 : id}`);
  }

  /** Lets broker `id` (or every broker) accept connections again. */
  setUp(id: number | 'all'): Promise<void> {
    return this.command(`up ${id === 'all' ? -1 : id}`);
  }

  /** Topic management for the engine: creation through the helper, deletion left to `stop`. */
  get topicAdmin(): KafkaTopicAdmin {
    return {
      create: (topic, spec) => this.createTopic(topic, spec.numPartitions),
      // The mock cluster cannot delete a topic; every topic goes away with the cluster at `stop`.
      delete: () => Promise.resolve(),
    };
  }

  /** Closes the helper's stdin (it destroys the cluster and exits) and waits for it. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private command(line: string, tolerated?: RegExp): Promise<void> {
    if (this.exited) return Promise.reject(new Error(`the Kafka mock cluster is stopped (command: ${line})`));
    return new Promise((resolve, reject) => {
      this.replies.push((reply) => {
        if (reply.startsWith('ok ') || (tolerated && tolerated.test(reply))) resolve();
        else reject(new Error(`kafka mock: ${reply}`));
      });
      this.child.stdin.write(`${line}\n`);
    });
  }
}

/** Engine options for a private mock cluster. */
export function mockClusterOptions(mock: KafkaMockCluster): Partial<KafkaChannelOptions> {
  return {
    topicAdmin: mock.topicAdmin,
    // The mock advertises controller id 0, which no broker has, and kafkajs asks the controller
    // for an idempotent producer id: against the mock only, the producer is not idempotent.
    idempotent: false,
    // The mock delays every join of a group that had members by the session timeout minus 1 s.
    sessionTimeoutMs: 4000,
    // The mock answers a fetch only when its max wait ends, even with records waiting (a real
    // broker answers at once): a long wait would make every delivery wait for it.
    maxWaitMs: 50,
  };
}
