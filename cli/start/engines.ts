import { join } from 'node:path';
import type { Logger } from 'pino';
import { ChannelRegistry, LazyChannelFactory, MemoryChannelFactory, SqliteChannelFactory, type ChannelFactory } from '../../channels/index.js';
import type { KafkaChannelOptions } from '../../channels/kafka/index.js';
import type { NatsChannelOptions } from '../../channels/nats/index.js';
import type { RabbitMqChannelOptions } from '../../channels/rabbitmq/index.js';
import type { JunctionConfig } from '../../core/config/index.js';
import { parseDurationMs } from '../../core/duration/index.js';
import { createError } from '../../core/errors.js';
import type { ResourceService } from '../../core/resources/index.js';
import type { StorageHealth } from '../../core/storage/index.js';

/** Engine options from junction.yaml, minus Junction's own keys. */
type EngineSection = Record<string, unknown> & { credentialsSecret?: string; tlsSecret?: string };

/** TLS material (PEM) an engine connects with: the CA to trust, and a client certificate and key. */
export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * The values of the Secret `namespace/name` (decoded), for engine credentials. Throws a clear
 * error when it does not exist yet; the engine is then built again at the next open.
 */
export function readSecret(resources: ResourceService, reference: string): Record<string, string> {
  const [namespace, name] = reference.split('/');
  const secret = namespace && name ? resources.store.get({ group: '', kind: 'Secret', namespace, name }) : undefined;
  if (!secret) throw createError('JUNCTION_CONFIG_INVALID', `the credentials Secret ${reference} does not exist (create it with junction apply)`);
  const data = (secret.data ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
}

/**
 * The TLS material of a kubernetes.io/tls-style Secret: `ca.crt` (the CA to trust), `tls.crt` and
 * `tls.key` (a client certificate). Throws a clear error when it has none of them, or half a pair.
 */
export function readTlsSecret(resources: ResourceService, reference: string): TlsMaterial {
  const data = readSecret(resources, reference);
  const material: TlsMaterial = {};
  if (data['ca.crt']) material.ca = data['ca.crt'];
  if (data['tls.crt']) material.cert = data['tls.crt'];
  if (data['tls.key']) material.key = data['tls.key'];
  if (!material.ca && !material.cert) throw createError('JUNCTION_CONFIG_INVALID', `the TLS Secret ${reference} has neither ca.crt nor tls.crt`);
  if ((material.cert === undefined) !== (material.key === undefined)) {
    throw createError('JUNCTION_CONFIG_INVALID', `the TLS Secret ${reference} needs both tls.crt and tls.key for a client certificate`);
  }
  return material;
}

/**
 * Options no YAML can carry (functions, objects of tests: a mock cluster's topic admin), per engine
 * kind; merged over the configured ones.
 */
export type EngineOverrides = Partial<Record<'nats' | 'rabbitmq' | 'kafka', Record<string, unknown>>>;

/** An engine whose options may take credentials from a Secret, built when first used. */
function engine(kind: string, section: EngineSection, resources: ResourceService, overrides: Record<string, unknown> | undefined, build: (options: Record<string, unknown>) => Promise<ChannelFactory>): ChannelFactory {
  const { credentialsSecret, tlsSecret, ...options } = section;
  return new LazyChannelFactory(kind, true, async () => {
    // TLS from a Secret joins what junction.yaml says of TLS (e.g. `tls: { servername }`).
    const tls = tlsSecret ? { tls: { ...(typeof options.tls === 'object' ? options.tls : {}), ...readTlsSecret(resources, tlsSecret) } } : {};
    return build({ ...options, ...(credentialsSecret ? readSecret(resources, credentialsSecret) : {}), ...tls, ...overrides });
  });
}

/**
 * Every channel engine, configured from junction.yaml: sqlite and memory embedded, the others connect
 * on first use. The sqlite engine reports whether its commits land to `health` (for /readyz).
 */
export function createChannelRegistry(
  config: Readonly<JunctionConfig>,
  dataDir: string,
  resources: ResourceService,
  logger: Logger,
  overrides: EngineOverrides = {},
  health?: StorageHealth,
): ChannelRegistry {
  const channels = new ChannelRegistry();
  channels.register(
    new SqliteChannelFactory({
      path: join(dataDir, 'channels.db'),
      durability: config.channels.sqlite.durability,
      retentionMs: parseDurationMs(config.channels.sqlite.retention),
      health,
    }),
  );
  channels.register(new MemoryChannelFactory({ retentionMs: parseDurationMs(config.channels.memory.retention), maxEvents: config.channels.memory.maxEvents }));
  const onError = (kind: string) => (error: Error) => logger.warn({ engine: kind, err: error.message }, 'channel engine error');
  channels.register(
    engine('nats', config.channels.nats, resources, overrides.nats, async (options) => {
      const { NatsChannelFactory } = await import('../../channels/nats/index.js');
      const { username, password, nkey, ...rest } = options;
      // Secrets usually say username/password; the NATS client says user/pass. A Secret's `nkey` is an
      // NKEY seed. The engine validates the rest.
      const renamed: Record<string, unknown> = { ...rest };
      if (username !== undefined) renamed.user = username;
      if (password !== undefined) renamed.pass = password;
      if (nkey !== undefined) renamed.nkeySeed = nkey;
      return new NatsChannelFactory(renamed as NatsChannelOptions, onError('nats'));
    }),
  );
  channels.register(
    engine('rabbitmq', config.channels.rabbitmq, resources, overrides.rabbitmq, async (options) => {
      const { RabbitMqChannelFactory } = await import('../../channels/rabbitmq/index.js');
      // The engine validates its options; its background events go to Junction's log.
      return new RabbitMqChannelFactory({ ...(options as RabbitMqChannelOptions), logger: logger.child({ engine: 'rabbitmq' }) });
    }),
  );
  channels.register(
    engine('kafka', config.channels.kafka, resources, overrides.kafka, async (options) => {
      const { KafkaChannelFactory } = await import('../../channels/kafka/index.js');
      const { username, password, mechanism, tls, ...rest } = options;
      // A Secret with username/password becomes SASL (plain unless `mechanism` says scram-sha-256/512).
      const sasl = username !== undefined ? { sasl: { mechanism: mechanism ?? 'plain', username, password } } : {};
      // kafkajs calls TLS `ssl`: a tlsSecret (or `tls:`) becomes its Node TLS options.
      const ssl = tls !== undefined ? { ssl: tls } : {};
      // The engine validates the rest (brokers, prefixes, timeouts…) and throws JUNCTION_CONFIG_INVALID.
      return new KafkaChannelFactory({ logger: logger.child({ engine: 'kafka' }), ...rest, ...sasl, ...ssl } as unknown as KafkaChannelOptions);
    }),
  );
  return channels;
}
