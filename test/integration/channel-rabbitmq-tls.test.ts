import type { TlsOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../../channels/index.js';
import { RabbitMqChannelFactory, type RabbitMqChannelOptions } from '../../channels/rabbitmq/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { eventually } from '../support/eventually.js';
import { deleteWithPrefix, exchangesWithPrefix, queuesWithPrefix, uniquePrefix } from '../support/rabbitmq-server.js';
import { makeTestCertificates, tlsSecret, type TestCertificates } from '../support/tls-certs.js';
import { expectBrokerDelivers } from '../support/broker-fixture.js';
import { TcpRelay } from '../support/tcp-relay.js';
import { startHttpSubscriber } from '../support/http-subscriber.js';
import { startTestJunction } from '../support/junction.js';

// The shared RabbitMQ has no TLS listener: a TLS-terminating proxy in front of its plain port stands in for one.
const prefix = uniquePrefix('tls');
const factories: RabbitMqChannelFactory[] = [];
const relays: TcpRelay[] = [];
let certs: TestCertificates;

/** A TLS-terminating relay on 127.0.0.1 (random port) in front of RabbitMQ's plain AMQP port. */
async function startProxy(options: TlsOptions = {}): Promise<number> {
  const relay = await TcpRelay.start(5672, { tls: { cert: certs.serverCert, key: certs.serverKey, ...options } });
  relays.push(relay);
  return relay.port;
}

function factory(port: number, tls: RabbitMqChannelOptions['tls'], url = `amqps://guest:guest@127.0.0.1:${port}`): RabbitMqChannelFactory {
  const created = new RabbitMqChannelFactory({ url, tls, prefix, connectionName: `${prefix}-${factories.length}`, reconnectDelayMs: 50, reconnectMaxDelayMs: 200, operationTimeoutMs: 3000 });
  factories.push(created);
  return created;
}

function event(id: string): CloudEvent {
  return { specversion: '1.0', id, source: '/tls', type: 'dev.junction.tls', data: { id } };
}

/** Opens `name`, appends three events and checks that a consumer receives them (a round trip through TLS). */
async function roundTrip(engine: RabbitMqChannelFactory, name: string): Promise<void> {
  const channel = await engine.open(name, {});
  const received: string[] = [];
  const consumer = channel.consume('dispatcher', { maxInFlight: 8 }, (message: ChannelMessage) => {
    received.push(message.event.id);
    message.ack();
  });
  const ids = ['a', 'b', 'c'].map((letter) => `${name}-${letter}`);
  await channel.append(ids.map(event));
  await eventually(() => expect([...received].sort()).toEqual(ids));
  await consumer.close();
  await engine.drop(name);
}

describe('rabbitmq channel over TLS (amqps://)', () => {
  beforeAll(() => {
    certs = makeTestCertificates();
  });
  afterAll(async () => {
    await Promise.allSettled(factories.map((engine) => engine.close()));
    await Promise.all(relays.map((relay) => relay.off()));
    certs?.remove();
    const leftovers = [...queuesWithPrefix(prefix), ...exchangesWithPrefix(prefix)];
    await deleteWithPrefix(prefix);
    expect(leftovers).toEqual([]);
  });

  it('connects with the CA it is given and delivers appended events through TLS', async () => {
    const port = await startProxy();
    await roundTrip(factory(port, { ca: certs.ca }), 'trusted');
  });

  it('refuses a server whose certificate is not signed by the given CA or names another host, naming the address and not the password', async () => {
    const port = await startProxy();
    for (const tls of [{ ca: certs.otherCa }, { ca: certs.ca, servername: 'rabbitmq.example' }]) {
      const engine = factory(port, tls);
      const error = await engine.open('untrusted', {}).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );
      expect(error).toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE', message: expect.stringContaining(`RabbitMQ at 127.0.0.1:${port}: cannot connect`) });
      expect(error?.message).toMatch(/certificate|altnames/i);
      expect(error?.message).not.toContain('guest');
      await engine.close();
    }
    // Told not to verify, it connects to the same server.
    await roundTrip(factory(port, { ca: certs.otherCa, rejectUnauthorized: false }), 'unverified');
  });

  it('presents the client certificate to a server that requires one, and cannot connect without it', async () => {
    const port = await startProxy({ requestCert: true, rejectUnauthorized: true, ca: [certs.ca] });
    const anonymous = factory(port, { ca: certs.ca });
    await expect(anonymous.open('anonymous', {})).rejects.toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE', message: expect.stringMatching(new RegExp(`^RabbitMQ at 127\\.0\\.0\\.1:${port}: cannot connect: .*certificate`)) });
    await anonymous.close();
    await roundTrip(factory(port, { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey }), 'client-certificate');
  });

  it('runs a broker over mutual TLS with the CA and client certificate of channels.rabbitmq.tlsSecret', async () => {
    const port = await startProxy({ requestCert: true, rejectUnauthorized: true, ca: [certs.ca] });
    const subscriber = await startHttpSubscriber();
    const junction = await startTestJunction({
      'channels.rabbitmq': { url: `amqps://guest:guest@127.0.0.1:${port}`, prefix, tlsSecret: 'junction-system/rabbitmq-tls', reconnectDelayMs: 50, reconnectMaxDelayMs: 200, operationTimeoutMs: 3000 },
    });
    try {
      await junction.apply(tlsSecret('rabbitmq-tls', certs));
      await expectBrokerDelivers(junction, 'rabbitmq', subscriber);
      // Deleting the broker removes its exchange and streams through the same secured connection.
      junction.resources.delete(junction.resources.kinds.forDocument('eventing.knative.dev/v1', 'Broker'), 'secure', 'default');
      await junction.controllers.idle();
      expect(exchangesWithPrefix(prefix)).toEqual([]);
    } finally {
      await junction.stop();
      await subscriber.close();
    }
  }, 60_000);

  it('rejects a tls option with an amqp:// URL and a client certificate without its key', () => {
    expect(() => factory(5672, { ca: 'PEM' }, 'amqp://127.0.0.1:5672')).toThrow(
      expect.objectContaining({
        code: 'JUNCTION_CONFIG_INVALID',
        message: expect.stringContaining('amqps://'),
        problems: [expect.objectContaining({ path: 'channels.rabbitmq.url' })],
      }),
    );
    expect(() => factory(5671, { cert: certs.clientCert })).toThrow(
      expect.objectContaining({
        code: 'JUNCTION_CONFIG_INVALID',
        problems: [expect.objectContaining({ path: 'channels.rabbitmq.tls', message: expect.stringContaining('key') })],
      }),
    );
    // Every problem at once, and no key material in the message.
    let error: (Error & { problems?: unknown[] }) | undefined;
    try {
      factory(5672, { key: certs.clientKey, rejectUnauthorized: 'no' } as unknown as RabbitMqChannelOptions['tls'], 'amqp://127.0.0.1:5672');
    } catch (failure) {
      error = failure as Error & { problems?: unknown[] };
    }
    expect(error).toMatchObject({ code: 'JUNCTION_CONFIG_INVALID' });
    expect(error?.problems).toHaveLength(3);
    expect(error?.message).not.toContain(certs.clientKey.split('\n')[1] ?? 'BEGIN');
  });
});
