import AjvModule, { type ErrorObject } from 'ajv';
import type { Logger } from 'pino';
import { createError, type FieldProblem } from '../../core/errors.js';
import { parseChannelSettings, rejectUnknownOptions, type SettingsSchema } from '../settings.js';

/** Connection and behaviour of the rabbitmq engine (the lead maps junction.yaml onto this). */
export interface RabbitMqChannelOptions {
  /** AMQP 0-9-1 URL (default amqp://127.0.0.1:5672); credentials may be in it or given below. */
  url?: string;
  /** User name (overrides the URL's; e.g. from a Secret). */
  username?: string;
  /** Password (overrides the URL's); never logged nor put in error messages. */
  password?: string;
  /** TLS for amqps:// URLs: the CA to trust and an optional client certificate (PEM text); servername for SNI/verification. */
  tls?: { ca?: string; cert?: string; key?: string; servername?: string; rejectUnauthorized?: boolean };
  /** First segment of every exchange/queue/stream name (default `junction`). */
  prefix?: string;
  /** Connection name shown by the management UI and `rabbitmqctl list_connections client_properties`. */
  connectionName?: string;
  /** AMQP heartbeat in seconds: a silent server is detected after about twice this (default 10). */
  heartbeatSeconds?: number;
  /** First delay before reconnecting after the server went away (default 100 ms), doubled up to `reconnectMaxDelayMs`. */
  reconnectDelayMs?: number;
  /** Longest delay between reconnection attempts (default 5000 ms). */
  reconnectMaxDelayMs?: number;
  /** Longest wait for one server round trip (topology, sync, seek scans, append confirms); default 15000 ms. */
  operationTimeoutMs?: number;
  /** How long an acked position may stay uncommitted (default 100 ms); closing a consumer commits at once. */
  commitIntervalMs?: number;
  /** Allowed clock difference between writers and the server, for seeks by time (default 60000 ms). */
  clockSkewMs?: number;
  /** CloudEvents application-property separator: `:` (`cloudEvents:id`, default) or `_` (JMS-friendly). */
  propertySeparator?: ':' | '_';
  /** Defaults for every channel's settings (a channel's own `open` settings win). */
  defaults?: RabbitMqChannelSettings;
  /** Where reconnections and background failures are reported (pino); silent when absent. */
  logger?: Logger;
}

/** Per-channel settings (`open(name, settings)`); retention settings apply when the channel is created. */
export interface RabbitMqChannelSettings {
  /** Type of each consumer group's durable queue: `classic` (default) or `quorum` (replicated). */
  queueType?: 'classic' | 'quorum';
  /** Most messages one consumer has in flight (Knative's `rabbitmq.eventing.knative.dev/parallelism`). */
  parallelism?: number;
  /** Stream retention by age, in RabbitMQ's format: `7D`, `12h`, `30m`… (default 7D). */
  maxAge?: string;
  /** Stream retention by size in bytes (default: none, age only). */
  maxLengthBytes?: number;
  /** Stream segment size in bytes, at least 1 MB (retention drops whole segments; default RabbitMQ's 500 MB). */
  maxSegmentSizeBytes?: number;
  /** Replicas of the stream on a cluster (default: RabbitMQ's choice). */
  initialClusterSize?: number;
  /**
   * Slots of every consumer group (default 1): a group's events are split by `partitionkey` (else id)
   * into this many slots, each read by one process at a time, so up to this many Junction replicas
   * share a group. With 1 a group is read by one process at a time (the others stand by).
   */
  groupSlots?: number;
}

/** The JSON schema of `RabbitMqChannelSettings` (checked by parseChannelSettings). */
export const settingsSchema: SettingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    queueType: { enum: ['classic', 'quorum'] },
    parallelism: { type: 'integer', minimum: 1, maximum: 65535 },
    maxAge: { type: 'string', pattern: '^[1-9][0-9]*(Y|M|D|h|m|s)$' },
    maxLengthBytes: { type: 'integer', minimum: 1 },
    // Segments smaller than a chunk of appends can leave a stream whose newest chunks are all internal.
    maxSegmentSizeBytes: { type: 'integer', minimum: 1_000_000, maximum: 3_000_000_000 },
    initialClusterSize: { type: 'integer', minimum: 1 },
    groupSlots: { type: 'integer', minimum: 1, maximum: 64 },
  },
};

/** Validates `settings` (JUNCTION_CONFIG_INVALID listing every problem) and merges them over the defaults. */
export function parseSettings(defaults: RabbitMqChannelSettings, settings: Record<string, unknown>): RabbitMqChannelSettings {
  const own = parseChannelSettings<RabbitMqChannelSettings>('rabbitmq', settingsSchema, settings);
  return { ...defaults, ...own };
}

/** The options with every default applied. */
export type ResolvedOptions = Required<Omit<RabbitMqChannelOptions, 'username' | 'password' | 'tls' | 'logger' | 'defaults'>> &
  Pick<RabbitMqChannelOptions, 'username' | 'password' | 'tls' | 'logger'> & { defaults: RabbitMqChannelSettings };

/** Every key of RabbitMqChannelOptions (checked, so a typo in junction.yaml is an error). */
const OPTION_KEYS = ['url', 'username', 'password', 'tls', 'prefix', 'connectionName', 'heartbeatSeconds', 'reconnectDelayMs', 'reconnectMaxDelayMs', 'operationTimeoutMs', 'commitIntervalMs', 'clockSkewMs', 'propertySeparator', 'defaults', 'logger'] as const;

const DEFAULT_URL = 'amqp://127.0.0.1:5672';

const Ajv = AjvModule.default ?? AjvModule;

/** The JSON schema of the `tls` option, compiled once. */
const validateTls = new Ajv({ allErrors: true, strict: false }).compile({
  type: 'object',
  additionalProperties: false,
  properties: {
    ca: { type: 'string', minLength: 1 },
    cert: { type: 'string', minLength: 1 },
    key: { type: 'string', minLength: 1 },
    servername: { type: 'string', minLength: 1 },
    rejectUnauthorized: { type: 'boolean' },
  },
  // draft-07 `dependencies` (the default Ajv ignores 2019-09's `dependentRequired`).
  dependencies: { cert: ['key'], key: ['cert'] },
});

/** Applies the defaults; the `defaults` settings are validated like a channel's own, `tls` by checkTls. */
export function resolveOptions(options: RabbitMqChannelOptions): ResolvedOptions {
  rejectUnknownOptions('rabbitmq', options, OPTION_KEYS);
  const url = options.url ?? DEFAULT_URL;
  if (options.tls !== undefined) checkTls(options.tls, url);
  return {
    url,
    username: options.username,
    password: options.password,
    tls: options.tls === undefined ? undefined : { ...options.tls },
    prefix: options.prefix ?? 'junction',
    connectionName: options.connectionName ?? `junction-${process.pid}`,
    heartbeatSeconds: options.heartbeatSeconds ?? 10,
    reconnectDelayMs: options.reconnectDelayMs ?? 100,
    reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? 5000,
    operationTimeoutMs: options.operationTimeoutMs ?? 15_000,
    commitIntervalMs: options.commitIntervalMs ?? 100,
    clockSkewMs: options.clockSkewMs ?? 60_000,
    propertySeparator: options.propertySeparator ?? ':',
    defaults: parseSettings({}, { ...(options.defaults ?? {}) }),
    logger: options.logger,
  };
}

/**
 * Rejects a `tls` option of the wrong shape, or given with a URL that does not use TLS, as
 * JUNCTION_CONFIG_INVALID listing every problem. Messages name fields, never their (secret) values.
 */
function checkTls(tls: unknown, url: string): void {
  const problems: FieldProblem[] = [];
  if (!validateTls(tls)) problems.push(...(validateTls.errors ?? []).map(tlsProblem));
  if (protocolOf(url) === 'amqp:') {
    problems.push({ path: 'channels.rabbitmq.url', message: 'must use amqps:// with the tls option (amqp:// connects without TLS)' });
  }
  if (problems.length === 0) return;
  throw createError('JUNCTION_CONFIG_INVALID', `invalid rabbitmq tls option: ${problems.map((problem) => `${problem.path} ${problem.message}`).join('; ')}`, { problems });
}

/** One schema error of the `tls` option as a field problem (an unknown key is named in the path). */
function tlsProblem(error: ErrorObject): FieldProblem {
  const path = `channels.rabbitmq.tls${error.instancePath.replaceAll('/', '.')}`;
  if (error.keyword === 'additionalProperties') return { path: `${path}.${String(error.params.additionalProperty)}`, message: 'is not a tls option (ca, cert, key, servername, rejectUnauthorized)' };
  return { path, message: error.message ?? 'is invalid' };
}

/** The URL's protocol (`amqp:`, `amqps:`), undefined when it does not parse (the connection reports that). */
function protocolOf(url: string): string | undefined {
  try {
    return new URL(url).protocol;
  } catch {
    return undefined;
  }
}
