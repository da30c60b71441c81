import type { Kafka } from 'kafkajs';
import { backoffDelay, type BackoffPolicy } from '../../core/backoff/index.js';

/** The two kafkajs-internal Broker requests used here (kafkajs 2.2.4, src/broker/index.js). */
interface InternalBroker {
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
  fetch(request: {
    replicaId?: number;
    isolationLevel?: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: { partition: number; messages: { offset: string; timestamp: string }[] }[] }[] }>;
}

/** kafkajs's internal Cluster (src/cluster/index.js): connections, metadata and broker lookup. */
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<InternalBroker>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(request: { nodeId: string | number }): Promise<InternalBroker>;
}

type ClusterFactory = (options: { allowAutoTopicCreation: boolean; metadataMaxAge?: number }) => InternalCluster;

const ATTEMPTS = 4;
/** Pauses between the attempts of one request: 200, 400, 800 ms. */
const RETRY_BACKOFF: BackoffPolicy = { kind: 'exponential', baseMs: 100 };

/**
 * Two Kafka requests kafkajs's public API lacks, sent over kafkajs's own connection code (same
 * brokers, TLS and SASL as the client): a member-less OffsetCommit (generation -1, what Kafka's
 * AdminClient#alterConsumerGroupOffsets sends; only an empty group accepts it), and a one-record
 * Fetch to read a record's timestamp. kafkajs setOffsets instead joins the group, and the
 * mock cluster answers no timestamp lookups, hence these.
 */
export class KafkaProtocol {
  private constructor(private readonly cluster: InternalCluster) {}

  /** Reaches the client's private cluster factory; fails clearly if kafkajs changed shape. */
  static create(kafka: Kafka): KafkaProtocol {
    const key = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === 'private:Kafka:createCluster');
    const factory = key === undefined ? undefined : (kafka as unknown as Record<symbol, ClusterFactory | undefined>)[key];
    if (typeof factory !== 'function') throw new Error('this kafkajs version has no private cluster factory (kafkajs 2.2.x is required)');
    return new KafkaProtocol(factory.call(kafka, { allowAutoTopicCreation: false }));
  }

  connect(): Promise<void> {
    return this.cluster.connect();
  }

  disconnect(): Promise<void> {
    return this.cluster.disconnect();
  }

  /** Stores `offsets` (partition -> next offset) as the committed positions of an idle group. */
  commitIdleGroup(groupId: string, topic: string, offsets: Map<number, number>): Promise<void> {
    const partitions = [...offsets].map(([partition, offset]) => ({ partition, offset: String(offset) }));
    return this.retry(async () => {
      const coordinator = await this.cluster.findGroupCoordinator({ groupId });
      await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', topics: [{ topic, partitions }] });
    });
  }

  /** The offset and timestamp of the first record at or after `offset`, or undefined when there is none. */
  recordAtOrAfter(topic: string, partition: number, offset: number): Promise<{ offset: number; timestamp: number } | undefined> {
    return this.retry(async () => {
      await this.cluster.addTargetTopic(topic);
      const [leader] = Object.keys(this.cluster.findLeaderForPartitions(topic, [partition]));
      if (leader === undefined) throw new Error(`no leader for ${topic}/${partition}`);
      const broker = await this.cluster.findBroker({ nodeId: leader });
      const { responses } = await broker.fetch({
        replicaId: -1,
        isolationLevel: 0,
        maxWaitTime: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
        topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes: 1 << 16 }] }],
      });
      const messages = responses.flatMap((response) => response.partitions).flatMap((data) => data.messages);
      const found = messages.find((message) => Number(message.offset) >= offset);
      return found ? { offset: Number(found.offset), timestamp: Number(found.timestamp) } : undefined;
    });
  }

  /** Retries transient failures (moved coordinator, stale metadata, dropped connection) with a short backoff. */
  private async retry<T>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await request();
      } catch (error) {
        const retriable = (error as { retriable?: boolean }).retriable !== false;
        if (!retriable || attempt >= ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(RETRY_BACKOFF, attempt)));
        await this.cluster.refreshMetadata().catch(() => undefined);
      }
    }
  }
}
