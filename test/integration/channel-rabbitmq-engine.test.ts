import amqp from 'amqplib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RabbitMqChannelFactory } from '../../channels/rabbitmq/index.js';
import { connectionConsumers, deleteWithPrefix, exchangesWithPrefix, queuesWithPrefix, queueTypes, RABBITMQ_URL, uniquePrefix } from '../support/rabbitmq-server.js';

// What the RabbitMQ engine does beyond the shared Channel conformance suite (test/conformance/rabbitmq.test.ts).
describe('rabbitmq channel on the server', () => {
  const own = uniquePrefix('binding');
  const factory = new RabbitMqChannelFactory({ url: RABBITMQ_URL, prefix: own });

  afterAll(async () => {
    await factory.drop('binding');
    await factory.drop('quorum');
    await factory.close();
    // Every test above dropped what it created: nothing of this run is left on the shared server.
    const leftovers = [...queuesWithPrefix(own), ...exchangesWithPrefix(own)];
    await deleteWithPrefix(own);
    expect(leftovers).toEqual([]);
  });

  it('stores events in the CloudEvents AMQP binding (binary mode) that any AMQP client can read', async () => {
    const channel = await factory.open('binding', {});
    const event = { specversion: '1.0', id: 'binding-1', source: '/binding', type: 'dev.junction.binding', datacontenttype: 'text/plain', data: 'hello', partitionkey: 'k', retries: 3, sampled: true, time: '2024-05-01T10:00:00.123Z' };
    const [record] = await channel.append([event]);

    const connection = await amqp.connect(RABBITMQ_URL);
    try {
      const reader = await connection.createChannel();
      await reader.prefetch(10);
      const message = await new Promise<amqp.ConsumeMessage>((resolve) => {
        void reader.consume(`${own}.binding.log`, (delivered) => {
          if (delivered && delivered.properties.headers?.['x-stream-offset'] === record?.offset) resolve(delivered);
          if (delivered) reader.ack(delivered);
        }, { arguments: { 'x-stream-offset': record?.offset } });
      });
      expect(message.content.toString('utf8')).toBe('hello');
      expect(message.properties.contentType).toBe('text/plain');
      expect(message.properties.headers).toMatchObject({
        'cloudEvents:specversion': '1.0',
        'cloudEvents:id': 'binding-1',
        'cloudEvents:source': '/binding',
        'cloudEvents:type': 'dev.junction.binding',
        'cloudEvents:partitionkey': 'k',
        'cloudEvents:retries': 3,
        'cloudEvents:sampled': true,
        'cloudEvents:time': '2024-05-01T10:00:00.123Z',
      });
      expect(message.properties.headers?.['cloudEvents:datacontenttype']).toBeUndefined();
    } finally {
      await connection.close();
    }
  });

  it('honours parallelism as the in-flight bound and keeps the group in a quorum queue when asked', async () => {
    const channel = await factory.open('quorum', { queueType: 'quorum', parallelism: 2 });
    let inFlight = 0;
    let most = 0;
    let acked = 0;
    const consumer = channel.consume('dispatcher', { maxInFlight: 10 }, (message) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        acked += 1;
        message.ack();
      }, 2);
    });
    await channel.append(Array.from({ length: 30 }, (_, index) => ({ specversion: '1.0', id: `q-${index}`, source: '/quorum', type: 'dev.junction.quorum' })));
    await vi.waitFor(() => expect(acked).toBe(30), { timeout: 15_000 });
    expect(most).toBe(2);
    expect(queueTypes(own)[`${own}.quorum.group.dispatcher`]).toBe('quorum');
    await consumer.close();
  });

  it('reads a caught-up group through the tailer (one stream consumer per channel) and a lagging one with its own', async () => {
    // A factory of its own, so that its connection's consumers can be counted on the server: the
    // positions follower and the group's lease, plus the readers of the log stream — the channel's
    // tailer, and the group's own stream consumer only while it lags behind.
    const connectionName = `${own}-live`;
    const liveFactory = new RabbitMqChannelFactory({ url: RABBITMQ_URL, prefix: own, connectionName });
    const channel = await liveFactory.open('live', {});
    const logConsumers = (): number => connectionConsumers(connectionName) - 2;
    const event = (index: number) => ({ specversion: '1.0', id: `live-${index}`, source: '/live', type: 'dev.junction.live', data: { index } });
    try {
      await channel.seek('group', 'latest');
      const seen: number[] = [];
      let slow = false;
      const consumer = channel.consume('group', { maxInFlight: 1 }, (message) => {
        seen.push((message.event.data as { index: number }).index);
        if (slow) setTimeout(() => message.ack(), 1);
        else message.ack();
      });
      await channel.append([event(0)]);
      await vi.waitFor(() => expect(seen).toEqual([0]), { timeout: 15_000 });
      // Caught up: only the channel's tailer consumes the log stream. A group that started on a
      // stream consumer of its own closes it once caught up; the server counts it until that close is through.
      await vi.waitFor(() => expect(logConsumers()).toBe(1), { timeout: 15_000 });

      // A slow group falls thousands of records behind: it reads on its own consumer (bounded read-ahead).
      slow = true;
      for (let start = 1; start <= 4000; start += 500) await channel.append(Array.from({ length: 500 }, (_, offset) => event(start + offset)));
      await vi.waitFor(() => expect(logConsumers()).toBe(2), { timeout: 15_000 });
      slow = false;
      // Every event once, in order, and back on the tailer's feed once caught up.
      await vi.waitFor(() => expect(seen.length).toBe(4001), { timeout: 30_000 });
      expect(seen).toEqual(Array.from({ length: 4001 }, (_, index) => index));
      await channel.append([event(4001)]);
      await vi.waitFor(() => expect(seen.at(-1)).toBe(4001), { timeout: 15_000 });
      await vi.waitFor(() => expect(logConsumers()).toBe(1), { timeout: 15_000 });
      await vi.waitFor(async () => expect(await channel.backlog('group')).toBe(0), { timeout: 15_000 });
      await consumer.close();
    } finally {
      await liveFactory.drop('live');
      await liveFactory.close();
    }
  });

  it('rejects settings it does not know with every problem listed', async () => {
    await expect(factory.open('invalid', { queueType: 'lazy', parallelism: 0, maxAge: 'forever' })).rejects.toMatchObject({
      code: 'JUNCTION_CONFIG_INVALID',
      problems: [
        expect.objectContaining({ path: 'settings.queueType' }),
        expect.objectContaining({ path: 'settings.parallelism' }),
        expect.objectContaining({ path: 'settings.maxAge' }),
      ],
    });
  });
});
