import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nkeys } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsChannelFactory, type NatsChannelOptions } from '../../channels/nats/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { eventually } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';
import { startPrivateNatsServerWith, type PrivateNatsServer } from '../support/nats-private-server.js';
import { makeTestCertificates, tlsSecret, type TestCertificates } from '../support/tls-certs.js';
import { expectBrokerDelivers } from '../support/broker-fixture.js';

function event(id: string): CloudEvent {
  return { specversion: '1.0', id, source: '/tls', type: 'dev.junction.tls', data: { id } };
}

/** Opens a channel, appends one event and reads it back through a consumer: a real round trip. */
async function roundTrip(options: NatsChannelOptions): Promise<string[]> {
  const factory = new NatsChannelFactory({ requestTimeoutMs: 3_000, ...options });
  try {
    const channel = await factory.open('secured', {});
    const received: string[] = [];
    const consumer = channel.consume('reader', { maxInFlight: 4 }, (message) => {
      received.push(message.event.id);
      message.ack();
    });
    await channel.seek('reader', 'earliest');
    await channel.append([event(`e-${Date.now()}`)]);
    await eventually(() => received.length > 0);
    await consumer.close();
    await channel.close();
    return received;
  } finally {
    await factory.close();
  }
}

/** How opening fails (code and message), or undefined when it does not. */
async function openFailure(options: NatsChannelOptions): Promise<(Error & { code?: string }) | undefined> {
  const factory = new NatsChannelFactory({ requestTimeoutMs: 2_000, ...options });
  try {
    await factory.open('secured', {});
    return undefined;
  } catch (error) {
    return error as Error & { code?: string };
  } finally {
    await factory.close();
  }
}

describe('nats channel over TLS, with a client certificate and NKEY authentication', () => {
  let certs: TestCertificates;
  let tlsOnly: PrivateNatsServer;
  let mutual: PrivateNatsServer;
  const user = nkeys.createUser();
  const seed = new TextDecoder().decode(user.getSeed());

  beforeAll(async () => {
    certs = makeTestCertificates();
    const serverTls = ['--tls', '--tlscert', certs.files.serverCert, '--tlskey', certs.files.serverKey];
    tlsOnly = await startPrivateNatsServerWith(serverTls);
    // Mutual TLS (client certificates signed by the test CA) and one user known by its NKEY.
    const config = join(certs.dir, 'nkey.conf');
    writeFileSync(config, `authorization { users = [ { nkey: "${user.getPublicKey()}" } ] }\n`);
    mutual = await startPrivateNatsServerWith(['-c', config, ...serverTls, '--tlsverify', '--tlscacert', certs.files.ca]);
  }, 60_000);
  afterAll(async () => {
    await tlsOnly?.dispose();
    await mutual?.dispose();
    certs?.remove();
  });

  it('connects when it trusts the server certificate, and refuses a server signed by another CA', async () => {
    expect(await roundTrip({ servers: tlsOnly.url, tls: { ca: certs.ca } })).toHaveLength(1);
    const refused = await openFailure({ servers: tlsOnly.url, tls: { ca: certs.otherCa } });
    expect(refused?.code).toBe('JUNCTION_STORAGE_UNAVAILABLE');
    expect(refused?.message).toContain(`127.0.0.1:${tlsOnly.port}`);
    expect(refused?.message).not.toContain('BEGIN');
  });

  it('presents a client certificate and signs with its NKEY where the server asks for both', async () => {
    expect(await roundTrip({ servers: mutual.url, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey }, nkeySeed: seed })).toHaveLength(1);
    // Without the NKEY the server refuses the user; without the certificate, the TLS handshake fails.
    const unauthenticated = await openFailure({ servers: mutual.url, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    expect(unauthenticated?.code).toBe('JUNCTION_STORAGE_UNAVAILABLE');
    const noCertificate = await openFailure({ servers: mutual.url, tls: { ca: certs.ca }, nkeySeed: seed });
    expect(noCertificate?.code).toBe('JUNCTION_STORAGE_UNAVAILABLE');
    for (const failure of [unauthenticated, noCertificate]) {
      expect(failure?.message).not.toContain(seed);
      expect(failure?.message).not.toContain('PRIVATE KEY');
    }
  });

  it('rejects half a client certificate and a malformed NKEY seed as invalid configuration', () => {
    expect(() => new NatsChannelFactory({ servers: mutual.url, tls: { cert: certs.clientCert } })).toThrow(expect.objectContaining({ code: 'JUNCTION_CONFIG_INVALID' }));
    let thrown: (Error & { code?: string }) | undefined;
    try {
      new NatsChannelFactory({ servers: mutual.url, nkeySeed: 'not-a-seed' });
    } catch (error) {
      thrown = error as Error & { code?: string };
    }
    expect(thrown?.code).toBe('JUNCTION_CONFIG_INVALID');
    expect(thrown?.message).not.toContain('not-a-seed');
  });

  describe('a broker on it, configured with tlsSecret and credentialsSecret', () => {
    let junction: TestJunction;
    let subscriber: HttpSubscriber;
    beforeAll(async () => {
      subscriber = await startHttpSubscriber();
      junction = await startTestJunction({
        'channels.nats': { servers: [mutual.url], tlsSecret: 'junction-system/nats-tls', credentialsSecret: 'junction-system/nats-nkey', requestTimeoutMs: 2_000 },
      });
    });
    afterAll(async () => {
      await junction?.stop();
      await subscriber?.close();
    });

    it('becomes Ready once the Secrets exist and delivers through the secured connection', async () => {
      await junction.apply(tlsSecret('nats-tls', certs));
      await junction.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'nats-nkey', namespace: 'junction-system' }, stringData: { nkey: seed } });
      await expectBrokerDelivers(junction, 'nats', subscriber);
    }, 60_000);
  });
});
