import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer, type Server, type TlsOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../../channels/index.js';
import { RabbitMqChannelFactory, type RabbitMqChannelOptions } from '../../channels/rabbitmq/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { eventually } from '../support/eventually.js';
import { deleteWithPrefix, exchangesWithPrefix, queuesWithPrefix, uniquePrefix } from '../support/rabbitmq-server.js';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certs.js';

// The shared RabbitMQ has no TLS listener: a TLS-terminating proxy in front of its plain port stands in for one.
const prefix = uniquePrefix('tls');
const factories: RabbitMqChannelFactory[] = [];
const servers: Server[] = [];
const sockets = new Set<Socket>();
let certs: TestCertificates;

/** A TLS server on 127.0.0.1 (random port) that pipes each connection to RabbitMQ's plain AMQP port. */
async function startProxy(options: TlsOptions = {}): Promise<number> {
  const server = createServer({ cert: certs.serverCert, key: certs.serverKey, ...options }, (client) => {
    const upstream = connect(5672, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  // Refused handshakes (unknown CA, no client certificate) are what some tests are about.
  server.on('tlsClientError', () => undefined);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
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
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
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
