import { parseChannelSettings, rejectUnknownOptions, type SettingsSchema } from '../settings.js';

/** Connection and default settings of the `nats` engine (the lead maps junction.yaml onto this). */
export interface NatsChannelOptions {
  /** NATS server URL(s), e.g. `nats://127.0.0.1:4222` (default `127.0.0.1:4222`). */
  servers?: string | string[];
  /** User/password credentials (never logged nor put in error messages). */
  user?: string;
  pass?: string;
  /** Token credential (never logged nor put in error messages). */
  token?: string;
  /** NKEY seed (`SU…`) to sign the server's challenge with (never logged nor put in error messages). */
  nkeySeed?: string;
  /**
   * TLS: `true` requires it with the system's CAs; an object adds the CA to trust and a client
   * certificate (PEM text), e.g. from a kubernetes.io/tls Secret named by `tlsSecret`.
   */
  tls?: boolean | NatsTlsOptions;
  /** Client connection name shown by the server's monitoring (default `junction`). */
  connectionName?: string;
  /** Stream names are `<streamPrefix>_<channel>` (default `JUNCTION`). */
  streamPrefix?: string;
  /** Subjects are `<subjectPrefix>.<channel>` (default `junction`). */
  subjectPrefix?: string;
  /** Default retention of a channel's events, the stream's max_age (default 7 days). */
  retentionMs?: number;
  /** Default size limit of a channel's stream in bytes (default: none). */
  maxBytes?: number;
  /** Default stream replicas (default 1; more than 1 needs a clustered server). */
  replicas?: number;
  /** Default group-wide cap on unacknowledged messages, the consumer's max_ack_pending (default 1000). */
  maxAckPending?: number;
  /** Default ack wait: a message held longer by a consumer that went away is redelivered (default 30 s). */
  ackWaitMs?: number;
  /** How long an append may wait for the stream's acknowledgement, outages included (default 5 s). */
  publishTimeoutMs?: number;
  /** Timeout of the first connection attempt and of management requests (default 5 s). */
  requestTimeoutMs?: number;
  /** Pause between reconnection attempts after the server went away (default 500 ms). */
  reconnectWaitMs?: number;
}

/** TLS material of a NATS connection (PEM text). */
export interface NatsTlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  /** The server expects the TLS handshake before its INFO (nats-server `handshake_first`). */
  handshakeFirst?: boolean;
}

/** Per-channel settings accepted by `open(name, settings)`; each overrides the factory default. */
export interface NatsChannelSettings {
  retentionMs: number;
  maxBytes?: number;
  replicas: number;
  maxAckPending: number;
  ackWaitMs: number;
}

/** Everything the engine uses, defaults applied. */
export interface ResolvedNatsOptions extends NatsChannelSettings {
  servers: string[];
  user?: string;
  pass?: string;
  token?: string;
  nkeySeed?: string;
  tls?: boolean | NatsTlsOptions;
  connectionName: string;
  streamPrefix: string;
  subjectPrefix: string;
  publishTimeoutMs: number;
  requestTimeoutMs: number;
  reconnectWaitMs: number;
}

const channelProperties = {
  retentionMs: { type: 'integer', minimum: 1 },
  maxBytes: { type: 'integer', minimum: 1 },
  replicas: { type: 'integer', minimum: 1, maximum: 5 },
  maxAckPending: { type: 'integer', minimum: 1 },
  ackWaitMs: { type: 'integer', minimum: 1000 },
};

/** JSON schema of the per-channel settings. */
export const natsSettingsSchema: SettingsSchema = { type: 'object', properties: channelProperties };

const optionsSchema: SettingsSchema = {
  type: 'object',
  properties: {
    ...channelProperties,
    servers: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    user: { type: 'string' },
    pass: { type: 'string' },
    token: { type: 'string' },
    nkeySeed: { type: 'string', pattern: '^SU[A-Z2-7]+$' },
    tls: {
      oneOf: [
        { type: 'boolean' },
        {
          type: 'object',
          additionalProperties: false,
          properties: { ca: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' }, handshakeFirst: { type: 'boolean' } },
          dependencies: { cert: ['key'], key: ['cert'] },
        },
      ],
    },
    connectionName: { type: 'string', minLength: 1 },
    streamPrefix: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
    subjectPrefix: { type: 'string', pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$' },
    // Appends retry within this time and use the stream's 2-minute duplicate window to stay exact.
    publishTimeoutMs: { type: 'integer', minimum: 100, maximum: 110_000 },
    requestTimeoutMs: { type: 'integer', minimum: 100 },
    reconnectWaitMs: { type: 'integer', minimum: 10 },
  },
};

/** Applies defaults to the factory options and validates them (JUNCTION_CONFIG_INVALID lists every problem). */
export function resolveNatsOptions(options: NatsChannelOptions): ResolvedNatsOptions {
  rejectUnknownOptions('nats', options, Object.keys(optionsSchema.properties as Record<string, unknown>));
  const servers = options.servers === undefined ? ['127.0.0.1:4222'] : ([] as string[]).concat(options.servers);
  const resolved: ResolvedNatsOptions = {
    servers,
    connectionName: options.connectionName ?? 'junction',
    streamPrefix: options.streamPrefix ?? 'JUNCTION',
    subjectPrefix: options.subjectPrefix ?? 'junction',
    retentionMs: options.retentionMs ?? 7 * 24 * 60 * 60 * 1000,
    replicas: options.replicas ?? 1,
    maxAckPending: options.maxAckPending ?? 1000,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    publishTimeoutMs: options.publishTimeoutMs ?? 5_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    reconnectWaitMs: options.reconnectWaitMs ?? 500,
  };
  if (options.maxBytes !== undefined) resolved.maxBytes = options.maxBytes;
  if (options.user !== undefined) resolved.user = options.user;
  if (options.pass !== undefined) resolved.pass = options.pass;
  if (options.token !== undefined) resolved.token = options.token;
  if (options.nkeySeed !== undefined) resolved.nkeySeed = options.nkeySeed;
  if (options.tls !== undefined) resolved.tls = options.tls;
  return parseChannelSettings<ResolvedNatsOptions>('nats', optionsSchema, resolved as unknown as Record<string, unknown>);
}

/** The settings of one channel: the factory defaults overridden by validated `settings`. */
export function channelSettings(defaults: ResolvedNatsOptions, settings: Record<string, unknown>): NatsChannelSettings {
  const overrides = parseChannelSettings<Partial<NatsChannelSettings>>('nats', natsSettingsSchema, settings);
  const merged: NatsChannelSettings = {
    retentionMs: overrides.retentionMs ?? defaults.retentionMs,
    replicas: overrides.replicas ?? defaults.replicas,
    maxAckPending: overrides.maxAckPending ?? defaults.maxAckPending,
    ackWaitMs: overrides.ackWaitMs ?? defaults.ackWaitMs,
  };
  const maxBytes = overrides.maxBytes ?? defaults.maxBytes;
  if (maxBytes !== undefined) merged.maxBytes = maxBytes;
  return merged;
}
