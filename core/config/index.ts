import { readFileSync, existsSync } from 'node:fs';
import AjvModule from 'ajv';
import { parse as parseYaml } from 'yaml';
import { createError, type FieldProblem } from '../errors.js';
import { parseDurationMs } from '../duration/index.js';
import { configSchema } from './schema.js';

const Ajv = AjvModule.default ?? AjvModule;

/** Quota limits of one namespace; absent fields mean "no limit". */
export interface QuotaConfig {
  ingestPerSecond?: number;
  ingestBurst?: number;
  maxEventBytes?: number;
  maxResources?: number;
  /** How many EventTypes Junction records by itself in the namespace (default 1000). */
  maxRecordedEventTypes?: number;
}

/**
 * Options of one engine on a real server; `credentialsSecret` (namespace/name) adds a Secret's keys,
 * `tlsSecret` a kubernetes.io/tls-style Secret's `ca.crt`, `tls.crt` and `tls.key` as the engine's TLS.
 */
export type EngineConfig = Record<string, unknown> & { credentialsSecret?: string; tlsSecret?: string };

/** The channel engines Junction ships. */
export type ChannelEngine = 'sqlite' | 'memory' | 'kafka' | 'nats' | 'rabbitmq';

/** Junction's whole configuration, validated and frozen once at start. */
export interface JunctionConfig {
  http: { host: string; port: number };
  grpc: { host: string; port: number };
  dataDir: string;
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  auth: { mode: 'auto' | 'on' | 'off' };
  ingress: { maxBodyBytes: number; webhookAllowedRate: string };
  /** The control API (resources, tokens, replay). */
  control: { maxBodyBytes: number };
  broker: {
    defaultChannel: ChannelEngine;
    /** Engine per namespace for brokers and channels that choose none. */
    namespaceDefaults: Record<string, ChannelEngine>;
    defaultTtl: number;
    maxInFlightPerTrigger: number;
    triggerQueueLimit: number;
  };
  channels: {
    sqlite: { durability: 'full' | 'normal'; retention: string };
    memory: { retention: string; maxEvents: number };
    /** Options of the engines on real servers, passed through (each engine validates its own). */
    nats: EngineConfig;
    rabbitmq: EngineConfig;
    kafka: EngineConfig;
  };
  quotas: { default: QuotaConfig; namespaces: Record<string, QuotaConfig> };
  dashboard: { sampleInterval: string };
  shutdown: { drainTimeout: string };
}

/** Where configuration comes from, lowest precedence first: file, then environment, then flags. */
export interface ConfigSources {
  file?: string;
  env?: Record<string, string | undefined>;
  overrides?: Record<string, unknown>;
}

/** JUNCTION_* variables and the config path each sets. */
const envPaths: Record<string, { path: string[]; type: 'string' | 'integer' }> = {
  JUNCTION_HTTP_HOST: { path: ['http', 'host'], type: 'string' },
  JUNCTION_HTTP_PORT: { path: ['http', 'port'], type: 'integer' },
  JUNCTION_GRPC_HOST: { path: ['grpc', 'host'], type: 'string' },
  JUNCTION_GRPC_PORT: { path: ['grpc', 'port'], type: 'integer' },
  JUNCTION_DATA_DIR: { path: ['dataDir'], type: 'string' },
  JUNCTION_LOG_LEVEL: { path: ['log', 'level'], type: 'string' },
  JUNCTION_AUTH: { path: ['auth', 'mode'], type: 'string' },
  JUNCTION_MAX_BODY_BYTES: { path: ['ingress', 'maxBodyBytes'], type: 'integer' },
  JUNCTION_CONTROL_MAX_BODY_BYTES: { path: ['control', 'maxBodyBytes'], type: 'integer' },
  JUNCTION_DEFAULT_CHANNEL: { path: ['broker', 'defaultChannel'], type: 'string' },
  JUNCTION_SQLITE_DURABILITY: { path: ['channels', 'sqlite', 'durability'], type: 'string' },
};

const validate = new Ajv({ useDefaults: true, allErrors: true, strict: false }).compile(configSchema);

/** Reads, merges, validates (collecting every problem) and deep-freezes the configuration. */
export function loadConfig(sources: ConfigSources = {}): Readonly<JunctionConfig> {
  const problems: FieldProblem[] = [];
  let config: Record<string, unknown> = {};
  if (sources.file) {
    if (!existsSync(sources.file)) throw createError('JUNCTION_CONFIG_INVALID', `config file ${sources.file} does not exist`);
    try {
      const parsed = parseYaml(readFileSync(sources.file, 'utf8')) as unknown;
      if (parsed !== null && parsed !== undefined) {
        if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the top level must be a mapping');
        config = parsed as Record<string, unknown>;
      }
    } catch (error) {
      throw createError('JUNCTION_CONFIG_INVALID', `config file ${sources.file}: ${(error as Error).message}`);
    }
  }
  for (const [name, target] of Object.entries(envPaths)) {
    const raw = sources.env?.[name];
    if (raw === undefined || raw === '') continue;
    const value = target.type === 'integer' ? Number(raw) : raw;
    if (target.type === 'integer' && !Number.isInteger(value)) {
      problems.push({ path: name, message: `must be an integer, got "${raw}"` });
      continue;
    }
    setPath(config, target.path, value);
  }
  for (const [dotted, value] of Object.entries(sources.overrides ?? {})) {
    if (value !== undefined) setPath(config, dotted.split('.'), value);
  }
  if (!validate(config)) {
    for (const error of validate.errors ?? []) {
      const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)';
      const extra = error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
      problems.push({ path, message: `${error.message ?? 'invalid'}${extra}` });
    }
  }
  const typed = config as unknown as JunctionConfig;
  if (problems.length === 0) {
    const durations: Array<[string, string]> = [
      ['channels.sqlite.retention', typed.channels.sqlite.retention],
      ['channels.memory.retention', typed.channels.memory.retention],
      ['shutdown.drainTimeout', typed.shutdown.drainTimeout],
      ['dashboard.sampleInterval', typed.dashboard.sampleInterval],
    ];
    for (const [path, value] of durations) {
      if (parseDurationMs(value) === undefined) problems.push({ path, message: `must be an ISO-8601 duration such as PT10S, got "${value}"` });
    }
    // The dashboard keeps 15 minutes of samples: a few at least, and not a busy loop.
    const sampleMs = parseDurationMs(typed.dashboard.sampleInterval);
    if (sampleMs !== undefined && (sampleMs < 100 || sampleMs > 300_000)) problems.push({ path: 'dashboard.sampleInterval', message: `must be between PT0.1S and PT5M, got "${typed.dashboard.sampleInterval}"` });
  }
  if (problems.length > 0) {
    const detail = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw createError('JUNCTION_CONFIG_INVALID', `invalid configuration: ${detail}`, { problems });
  }
  return deepFreeze(typed);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** True when a host name or address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
