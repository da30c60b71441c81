import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaChannelFactory, type KafkaEngineLogger } from '../../channels/kafka/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { KafkaMockCluster, mockClusterOptions } from '../support/kafka-mock.js';
import { eventually as waitUntil } from '../support/eventually.js';
import { expectRecovery, startFaultLoad, startLateConsumer } from '../support/fault-load.js';

const PASSWORD = 'never-shown-s3cret';

function testEvent(index: number): CloudEvent {
  return { specversion: '1.0', id: `fault-${index}`, source: '/faults', type: 'dev.junction.fault', partitionkey: `key-${index % 6}`, data: { index } };
}


const eventually = (check: () => unknown | Promise<unknown>, timeoutMs = 60_000): Promise<void> => waitUntil(check, timeoutMs, 20);

/** The inner state of a Kafka channel's groups (private fields, read for a failure report only). */
interface GroupInternals {
  assigned: number[];
  applied: boolean;
  pausedForJoin: boolean;
  pausedFull: boolean;
  member?: object;
  dispatch: { outstanding: number; consumerCount: number; cursors(): { partition: number; next: number; committed: number; position(): number; outstanding: Map<number, unknown> }[] };
}

function groupStates(channel: unknown): unknown[] {
  const groups = (channel as { groups: Map<string, GroupInternals> }).groups;
  return [...groups].map(([name, group]) => ({
    name,
    member: group.member !== undefined,
    assigned: group.assigned,
    applied: group.applied,
    pausedForJoin: group.pausedForJoin,
    pausedFull: group.pausedFull,
    outstanding: group.dispatch.outstanding,
    consumers: group.dispatch.consumerCount,
    cursors: group.dispatch.cursors().map((cursor) => ({ partition: cursor.partition, next: cursor.next, committed: cursor.committed, position: cursor.position(), outstanding: cursor.outstanding.size })),
  }));
}

/** A logger that keeps every line, to check what the engine writes. */
function recordingLogger(): KafkaEngineLogger & { lines: string[] } {
  const lines: string[] = [];
  const write = (fields: Record<string, unknown>, message: string): void => void lines.push(`${message} ${JSON.stringify(fields)}`);
  return { lines, error: write, warn: write };
}

// Always a private mock cluster (even with KAFKA_BROKERS set): its brokers are taken down here.
describe('kafka channel when its brokers go down and come back mid-stream', () => {
  let cluster: KafkaMockCluster;
  beforeAll(async () => {
    cluster = await KafkaMockCluster.start(3);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('loses no acknowledged event, rejects appends while down, and resumes consuming by itself', async () => {
    const logger = recordingLogger();
    const factory = new KafkaChannelFactory({ brokers: cluster.brokers, ...mockClusterOptions(cluster), retries: 3, requestTimeoutMs: 5000, maxWaitMs: 250, logger });
    try {
      const channel = await factory.open('faults', { numPartitions: 3 });
      const load = startFaultLoad(channel, testEvent, 2);

      await eventually(() => load.acknowledged.size >= 300 && load.received.size >= 100);
      await cluster.setDown('all');

      // While every broker is down an append retries for a bounded time, then rejects clearly.
      const refused = await channel.append([testEvent(-1)]).then(
        () => undefined,
        (error: unknown) => error as Error & { code?: string },
      );
      expect(refused?.code).toBe('JUNCTION_STORAGE_UNAVAILABLE');
      expect(refused?.message).toContain('kafka');
      expect(refused?.message).toContain(cluster.brokers[0]);
      // A consumer started while the brokers are down joins its group once they are back.
      const late = startLateConsumer(channel, load);

      await cluster.setUp('all');
      try {
        await expectRecovery(channel, load, late, 60_000);
      } catch (error) {
        // A rare failure seen in full-suite runs: keep what the groups and the engine said with it.
        throw new Error(`${(error as Error).message}\ngroups: ${JSON.stringify(groupStates(channel))}\nengine log (last 40 lines):\n${logger.lines.slice(-40).join('\n')}`);
      }

      await Promise.all([load.consumer.close(), late.consumer.close()]);
      await channel.close();
      await factory.drop('faults');
    } finally {
      await factory.close();
    }
  }, 180_000);

  it('rejoins when its member stops getting records of a partition while they wait there, and delivers them', async () => {
    const logger = recordingLogger();
    const factory = new KafkaChannelFactory({ brokers: cluster.brokers, ...mockClusterOptions(cluster), fetchStallMs: 1500, logger });
    try {
      const channel = await factory.open('stall', { numPartitions: 3 });
      const received = new Set<number>();
      const consumer = channel.consume('stalled', { maxInFlight: 16 }, (message) => {
        received.add((message.event.data as { index: number }).index);
        message.ack();
      });
      // Reach into the group: its first member's batches of partition 1 are dropped, as if kafkajs had
      // stopped fetching that partition (what a half-recovered cluster left behind, see FetchWatchdog).
      type Inner = { member?: object; applied: boolean; onFetched(member: object, batch: { partition: number }): void };
      const group = (channel as unknown as { groups: Map<string, Inner> }).groups.get('stalled') as Inner;
      await eventually(() => group.member !== undefined && group.applied);
      const stuck = group.member;
      const fetched = group.onFetched.bind(group);
      let dropped = 0;
      group.onFetched = (member, batch) => {
        if (member === stuck && batch.partition === 1) dropped += 1;
        else fetched(member, batch);
      };
      const records = await channel.append(Array.from({ length: 60 }, (_, index) => testEvent(index)));
      expect(new Set(records.map((record) => record.offset % 1024)).size).toBe(3);
      await eventually(() => expect(received.size).toBe(60), 30_000);
      expect(dropped).toBeGreaterThan(0);
      expect(group.member).not.toBe(stuck);
      expect(logger.lines.some((line) => line.startsWith('records wait in partitions the consumer has not fetched from') && line.includes('"partitions":[1]'))).toBe(true);
      await eventually(async () => expect(await channel.backlog('stalled')).toBe(0));
      await consumer.close();
      await channel.close();
    } finally {
      await factory.close();
    }
  }, 60_000);

  it('fails to open while the cluster is down without showing credentials, and opens once it is back', async () => {
    const logger = recordingLogger();
    const secured = new KafkaChannelFactory({
      brokers: cluster.brokers,
      ...mockClusterOptions(cluster),
      sasl: { mechanism: 'plain', username: 'junction', password: PASSWORD },
      retries: 1,
      logger,
    });
    await cluster.setDown('all');
    try {
      const error = await secured.open('down-at-open').then(
        () => undefined,
        (failure: unknown) => failure as Error & { code?: string },
      );
      expect(error?.code).toBe('JUNCTION_STORAGE_UNAVAILABLE');
      expect(error?.message).toContain(cluster.brokers[0]);
      expect(error?.message).not.toContain(PASSWORD);
      expect(logger.lines.length).toBeGreaterThan(0);
      for (const line of logger.lines) expect(line).not.toContain(PASSWORD);
    } finally {
      await cluster.setUp('all');
      await secured.close();
    }

    // Same cluster, back up (the mock speaks no SASL, so this factory has no credentials).
    const plain = new KafkaChannelFactory({ brokers: cluster.brokers, ...mockClusterOptions(cluster), retries: 1 });
    try {
      const channel = await plain.open('down-at-open');
      const [record] = await channel.append([testEvent(1)]);
      expect(record?.event).toEqual(testEvent(1));
      await channel.close();
    } finally {
      await plain.close();
    }
  }, 60_000);
});
