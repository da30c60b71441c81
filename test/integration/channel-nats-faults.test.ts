import { describe, expect, it } from 'vitest';
import { NatsChannelFactory } from '../../channels/nats/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { startPrivateNatsServer } from '../support/nats-private-server.js';
import { eventually as waitUntil } from '../support/eventually.js';
import { expectRecovery, startFaultLoad, startLateConsumer } from '../support/fault-load.js';

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
      const load = startFaultLoad(channel, testEvent);

      await eventually(() => load.acknowledged.size >= 300 && load.received.size >= 100);
      await server.kill();

      // While the server is down an append waits its bounded time, then rejects clearly.
      const refused = await channel.append([testEvent(-1)]).then(
        () => undefined,
        (error: unknown) => error as Error & { code?: string },
      );
      expect(refused?.code).toBe('JUNCTION_STORAGE_UNAVAILABLE');
      expect(refused?.message).toContain(`127.0.0.1:${server.port}`);
      expect(refused?.message).not.toContain(PASSWORD);
      // A consumer started while the server is down sets its group up once it is back.
      const late = startLateConsumer(channel, load);

      await server.start();
      await expectRecovery(channel, load, late, 30_000);
      for (const error of [...load.failures, ...backgroundErrors]) expect(String((error as Error).message)).not.toContain(PASSWORD);

      await Promise.all([load.consumer.close(), late.consumer.close()]);
      await channel.close();
      await factory.drop('faults');
    } finally {
      await factory.close();
      await server.dispose();
    }
  }, 120_000);
});
