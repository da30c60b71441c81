import { describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../../channels/index.js';
import { NatsChannelFactory } from '../../channels/nats/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { startPrivateNatsServer } from '../support/nats-private-server.js';
import { eventually as waitUntil } from '../support/eventually.js';
import { startFaultLoad } from '../support/fault-load.js';

const USER = 'junction';
const PASSWORD = 'never-shown-s3cret';

function testEvent(index: number): CloudEvent {
  return { specversion: '1.0', id: `fault-${index}`, source: '/faults', type: 'dev.junction.fault', partitionkey: `key-${index % 4}`, data: { index } };
}


const eventually = (check: () => unknown | Promise<unknown>, timeoutMs = 30_000): Promise<void> => waitUntil(check, timeoutMs, 20);

describe('nats channel when its server is killed and restarted mid-stream', () => {
  it('loses no acknowledged event, rejects appends while down, and resumes consuming by itself', async () => {
    const server = await startPrivateNatsServer(USER, PASSWORD);
    const backgroundErrors: Error[] = [];
    const factory = new NatsChannelFactory(
      { servers: server.url, user: USER, pass: PASSWORD, publishTimeoutMs: 1_500, requestTimeoutMs: 2_000, reconnectWaitMs: 100 },
      (error) => backgroundErrors.push(error),
    );
    try {
      // A short ack wait: acks lost with the server come back as redeliveries within the test.
      const channel = await factory.open('faults', { ackWaitMs: 2_000 });
      const { received, acknowledged, failures, consumer, stopProducing } = startFaultLoad(channel, testEvent);

      await eventually(() => acknowledged.size >= 300 && received.size >= 100);
      await server.kill();

      // While the server is down an append waits its bounded time, then rejects clearly.
      const refused = await channel.append([testEvent(-1)]).then(
        () => undefined,
        (error: unknown) => error as Error & { code?: string },
      );
      expect(refused?.code).toBe('JUNCTION_STORAGE_UNAVAILABLE');
      expect(refused?.message).toContain(`127.0.0.1:${server.port}`);
      expect(refused?.message).not.toContain(PASSWORD);
      const acknowledgedWhileDown = acknowledged.size;
      // A consumer started while the server is down sets its group up once it is back.
      const late = new Set<number>();
      const lateConsumer = channel.consume('late', { maxInFlight: 8 }, (message: ChannelMessage) => {
        late.add((message.event.data as { index: number }).index);
        message.ack();
      });

      await server.start();
      // Nobody calls anything: appends succeed again and the consumer gets every acknowledged event.
      await eventually(() => acknowledged.size >= acknowledgedWhileDown + 300 && late.size > 0);
      await stopProducing();
      await eventually(() => expect([...acknowledged].filter((index) => !received.has(index))).toEqual([]));
      await eventually(async () => expect(await channel.backlog('dispatcher')).toBe(0));
      // The late group starts where the stream was when it could be set up, and misses nothing after that.
      const lateStart = Math.min(...late);
      expect([...acknowledged].filter((index) => index >= lateStart && !late.has(index))).toEqual([]);
      await eventually(async () => expect(await channel.backlog('late')).toBe(0));

      // Producer appends caught by the outage (there may be none: a retry can outlast it) failed the same way.
      for (const failure of failures) expect(failure).toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE' });
      for (const error of [...failures, ...backgroundErrors]) expect(String((error as Error).message)).not.toContain(PASSWORD);

      await Promise.all([consumer.close(), lateConsumer.close()]);
      await channel.close();
      await factory.drop('faults');
    } finally {
      await factory.close();
      await server.dispose();
    }
  }, 120_000);
});
