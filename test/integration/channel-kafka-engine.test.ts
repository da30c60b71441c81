import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelMessage, ChannelRecord } from '../../channels/index.js';
import { KafkaChannelFactory } from '../../channels/kafka/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { startKafkaForTests, type KafkaTestCluster } from '../support/kafka-mock.js';
import { eventually as waitUntil } from '../support/eventually.js';


const eventually = (check: () => unknown | Promise<unknown>, timeoutMs = 20_000): Promise<void> => waitUntil(check, timeoutMs, 20);

function event(index: number, extra: Partial<CloudEvent> = {}): CloudEvent {
  return { specversion: '1.0', id: `engine-${index}`, source: '/kafka-engine', type: 'dev.junction.engine', data: { index }, ...extra };
}

function collect(channel: Channel, group: string): ChannelMessage[] {
  const messages: ChannelMessage[] = [];
  channel.consume(group, { maxInFlight: 64 }, (message) => {
    messages.push(message);
    message.ack();
  });
  return messages;
}

describe('kafka channel engine specifics', () => {
  const runId = `${process.pid}-${Date.now().toString(36)}`;
  const topicPrefix = `junction-engine.${runId}.`;
  let cluster: KafkaTestCluster;
  let factory: KafkaChannelFactory;

  beforeAll(async () => {
    cluster = await startKafkaForTests();
    factory = new KafkaChannelFactory({ brokers: cluster.brokers, topicPrefix, groupPrefix: topicPrefix, maxWaitMs: 250, ...cluster.options });
  });
  afterAll(async () => {
    for (const name of ['partitioned', 'shapes', 'deleted']) await factory?.drop(name).catch(() => undefined);
    await factory?.close();
    await cluster?.stop();
  });

  it('uses an existing (external) topic as it is: never created nor deleted, and a missing one is a clear error', async () => {
    const topic = `external-${runId}`;
    const admin = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const created: string[] = [];
    const deleted: string[] = [];
    const recording = new KafkaChannelFactory({
      brokers: cluster.brokers,
      topicPrefix,
      groupPrefix: topicPrefix,
      maxWaitMs: 250,
      ...cluster.options,
      topicAdmin: { create: async (name) => void created.push(name), delete: async (name) => void deleted.push(name) },
    });
    try {
      if (cluster.options.topicAdmin) await cluster.options.topicAdmin.create(topic, { numPartitions: 2, replicationFactor: undefined, retentionMs: 3_600_000 });
      else await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
      const channel = await recording.open('outside', { topic });
      expect(channel.location).toEqual({ topic });
      const messages = collect(channel, 'reader');
      await channel.append([event(1), event(2), event(3)]);
      await eventually(() => expect(messages.map((message) => message.event.id).sort()).toEqual(['engine-1', 'engine-2', 'engine-3']));

      const missing = `missing-${runId}`;
      const refused = await recording.open('ghost', { topic: missing }).catch((error: unknown) => error as Error & { code?: string });
      expect(refused).toMatchObject({ code: 'JUNCTION_CHANNEL_NOT_FOUND' });
      expect((refused as Error).message).toContain(missing);
      expect(await admin.listTopics()).not.toContain(missing);

      await recording.drop('outside');
      expect(created).toEqual([]);
      expect(deleted).toEqual([]);
      expect(await admin.listTopics()).toContain(topic);
    } finally {
      await recording.close();
      await admin.disconnect();
    }
  });

  it('rejects invalid KafkaChannel settings with every problem at once', async () => {
    const error = await factory.open('invalid', { numPartitions: 0, replicationFactor: 'three', retentionDuration: '7 days', consumerGroupScope: 'global' }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'JUNCTION_CONFIG_INVALID' });
    expect((error as { problems: { path: string }[] }).problems.map((problem) => problem.path).sort()).toEqual([
      'settings.consumerGroupScope',
      'settings.numPartitions',
      'settings.replicationFactor',
      'settings.retentionDuration',
    ]);
  });

  it('spreads keys over partitions: per-key order, unique offsets, and seek by offset replays every record at or after it', async () => {
    const channel = await factory.open('partitioned', { numPartitions: 3, retentionDuration: 'P1D' });
    const keys = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
    const records: ChannelRecord[] = [];
    for (let round = 0; round < 10; round += 1) records.push(...(await channel.append(keys.map((key, index) => event(round * 10 + index, { partitionkey: key })))));
    expect(new Set(records.map((record) => record.offset)).size).toBe(60);
    for (const key of keys) {
      const offsets = records.filter((record) => record.key === key).map((record) => record.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }

    const pivot = records[27] as ChannelRecord;
    await channel.seek('from-pivot', { offset: pivot.offset });
    await channel.seek('everything', 'earliest');
    const fromPivot = collect(channel, 'from-pivot');
    const everything = collect(channel, 'everything');
    const expected = records.filter((record) => record.offset >= pivot.offset).map((record) => record.event.id);
    await eventually(() => expect(fromPivot.map((message) => message.event.id).sort()).toEqual([...expected].sort()));
    await eventually(() => expect(everything).toHaveLength(60));
    for (const key of keys) {
      const delivered = everything.filter((message) => message.key === key).map((message) => message.event.id);
      expect(delivered).toEqual(records.filter((record) => record.key === key).map((record) => record.event.id));
    }
    const byId = new Map(records.map((record) => [record.event.id, record]));
    for (const message of everything) expect([message.offset, message.appendedAt]).toEqual([byId.get(message.event.id)?.offset, byId.get(message.event.id)?.appendedAt]);
    await eventually(async () => expect(await channel.backlog('everything')).toBe(0));
    await channel.close();
  });

  it('stores events in the Kafka binding binary mode, round-trips every shape, and reads other producers’ records', async () => {
    const channel = await factory.open('shapes');
    const shapes: CloudEvent[] = [
      event(1, { partitionkey: 7, sequence: 42, flagged: true, subject: 'typed attributes' }),
      event(2, { datacontenttype: 'text/plain; charset=utf-8', data: 'plain text' }),
      event(3, { data: 'a JSON string' }),
      event(4, { data: null }),
      { specversion: '1.0', id: 'engine-5', source: '/kafka-engine', type: 'dev.junction.engine', data_base64: 'AP8Q' },
      { specversion: '1.0', id: 'engine-6', source: '/kafka-engine', type: 'dev.junction.engine', time: '2024-05-01T10:00:00Z' },
    ];
    const messages = collect(channel, 'reader');
    await channel.append(shapes);
    await eventually(() => expect(messages.map((message) => message.event)).toEqual(shapes));
    expect(messages[0]?.key).toBe('7');

    // What any Kafka client sees: ce_ headers, content-type, the partition key as the record key.
    const kafka = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING });
    const raw = kafka.consumer({ groupId: `${topicPrefix}raw-reader`, sessionTimeout: cluster.options.sessionTimeoutMs ?? 30_000, maxWaitTimeInMs: 250 });
    const seen: { key: string | undefined; headers: Record<string, string>; value: string | undefined }[] = [];
    await raw.connect();
    await raw.subscribe({ topic: `${topicPrefix}shapes`, fromBeginning: true });
    await raw.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
        seen.push({ key: message.key?.toString(), headers, value: message.value?.toString('hex') });
      },
    });
    await eventually(() => expect(seen.length).toBeGreaterThanOrEqual(6));
    expect(seen[0]).toMatchObject({ key: '7', headers: { ce_specversion: '1.0', ce_id: 'engine-1', ce_source: '/kafka-engine', ce_partitionkey: '7', ce_sequence: '42' } });
    expect(seen[1]).toMatchObject({ headers: { 'content-type': 'text/plain; charset=utf-8' }, value: Buffer.from('plain text').toString('hex') });
    expect(seen[4]?.value).toBe('00ff10');
    expect(seen[5]?.value).toBeUndefined();
    await raw.disconnect();

    // Records another producer wrote: binary mode without Junction's headers, structured JSON mode, and a non-event.
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({
      topic: `${topicPrefix}shapes`,
      messages: [
        { value: '{"n":1}', headers: { ce_specversion: '1.0', ce_id: 'foreign-1', ce_source: '/other', ce_type: 'other.binary', 'content-type': 'application/json' } },
        { value: 'not an event', headers: { 'content-type': 'text/plain' } },
        { value: JSON.stringify({ specversion: '1.0', id: 'foreign-2', source: '/other', type: 'other.structured', data: [1, 2] }), headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' } },
      ],
    });
    await producer.disconnect();
    await eventually(() => expect(messages.slice(6).map((message) => message.event)).toEqual([
      { specversion: '1.0', id: 'foreign-1', source: '/other', type: 'other.binary', datacontenttype: 'application/json', data: { n: 1 } },
      { specversion: '1.0', id: 'foreign-2', source: '/other', type: 'other.structured', data: [1, 2] },
    ]));
    await eventually(async () => expect(await channel.backlog('reader')).toBe(0));
    await channel.close();
  });

  it('deleteGroup forgets the position: the group then starts again at the latest event', async () => {
    const channel = await factory.open('deleted');
    await channel.append([event(1), event(2), event(3)]);
    await channel.seek('forgetful', 'earliest');
    expect(await channel.backlog('forgetful')).toBe(3);

    // (librdkafka's mock cluster refuses member-less commits for a group once it had members, so
    // the group here is positioned by seek only; on Kafka, DeleteGroups removes any empty group.)
    await channel.deleteGroup('forgetful');
    await channel.append([event(4)]);
    expect(await channel.backlog('forgetful')).toBe(0);
    const messages = collect(channel, 'forgetful');
    await channel.append([event(5)]);
    await eventually(() => expect(messages.map((message) => message.event.id)).toEqual(['engine-5']));
    await channel.close();
  });

  it('seeks a group that is not consumed here even when Kafka still counts a departed member', async () => {
    const channel = await factory.open('deleted');
    const first = collect(channel, 'replayed');
    const records = await channel.append([event(10), event(11), event(12)]);
    await eventually(() => expect(first).toHaveLength(3));
    await channel.close();

    // A new handle (as after a restart): the group has no member here but had one before.
    const reopened = await factory.open('deleted');
    await reopened.seek('replayed', { offset: records[1]?.offset as number });
    expect(await reopened.backlog('replayed')).toBe(2);
    const again = collect(reopened, 'replayed');
    await eventually(() => expect(again.map((message) => message.event.id)).toEqual(['engine-11', 'engine-12']));
    await reopened.close();
  });
});
