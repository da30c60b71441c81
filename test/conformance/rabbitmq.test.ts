import amqp from 'amqplib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RabbitMqChannelFactory } from '../../channels/rabbitmq/index.js';
import { deleteWithPrefix, exchangesWithPrefix, queuesWithPrefix, queueTypes, RABBITMQ_URL, uniquePrefix } from '../support/rabbitmq-server.js';
import { describeChannelConformance } from './channel.suite.js';

const prefix = uniquePrefix('conformance');
const makeFactory = (): Promise<RabbitMqChannelFactory> => Promise.resolve(new RabbitMqChannelFactory({ url: RABBITMQ_URL, prefix }));

describeChannelConformance('rabbitmq', makeFactory, { durable: true });

describe('rabbitmq channel on the server', () => {
  const own = uniquePrefix('binding');
  const factory = new RabbitMqChannelFactory({ url: RABBITMQ_URL, prefix: own });

  afterAll(async () => {
    await factory.drop('binding');
    await factory.drop('quorum');
    await factory.close();
    // Every test above dropped what it created: nothing of this run is left on the shared server.
    const leftovers = [prefix, own].flatMap((name) => [...queuesWithPrefix(name), ...exchangesWithPrefix(name)]);
    await deleteWithPrefix(prefix);
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
