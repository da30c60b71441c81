import type { Logger } from 'pino';
import type { Sink } from '../../broker/index.js';
import type { FieldProblem } from '../../core/errors.js';
import type { Condition, Resource, ResourceService } from '../../core/resources/index.js';
import type { LogBuffer } from '../../core/process/index.js';
import type { KeyValueStore } from '../../core/storage/index.js';
import type { WebhookProvider } from '../webhook/types.js';

/** Where a source kind is served: Knative's kinds keep their groups and versions (their YAML unchanged). */
export interface SourceApi {
  group: string;
  versions: string[];
}

/**
 * One source kind: its schema beyond the fields every source has (`sink`, `ceOverrides`, secrets),
 * and either a webhook provider (a push source, served at `POST /sources/<ns>/<name>`) or `start`
 * (a long-running adapter: a schedule, a process, a consumer). The registry turns it into a
 * resource kind and the generic reconciler runs it.
 */
export interface SourceAdapter {
  /** The kind, e.g. `PingSource`. */
  kind: string;
  /** Served groups and versions; default `sources.junction.dev/v1`. A kind may be served in several groups. */
  apis?: SourceApi[];
  /** Short names for the CLI (`ping`, `ghs`). */
  shortNames?: string[];
  /** One line for `junction source-types`. */
  description: string;
  /** The CloudEvent types it emits (a trailing `*` for a family). */
  eventTypes: string[];
  /** JSON Schema `properties` of its own spec fields (every field must be named: unknown ones are pruned). */
  specProperties: Record<string, unknown>;
  /** Spec fields that must be set. */
  requiredSpec?: string[];
  /** Semantic checks of the spec beyond the schema; paths start with `spec.`. */
  validate?(spec: Record<string, unknown>, resource: Resource): FieldProblem[];
  /**
   * The event types a source of this kind will emit, known from its spec (e.g. a PingSource's one
   * type, a GitHubSource's `eventTypes`): recorded as EventTypes on the sink broker once it is Ready.
   */
  declaredEventTypes?(spec: Record<string, unknown>, identity: { namespace: string; name: string }): Array<{ type: string; source: string; description?: string }>;
  /** A push source: verification and mapping of the provider's requests. */
  webhook?: WebhookProvider;
  /** Largest request body a push source takes (default 1 MiB). */
  maxBodyBytes?: number;
  /** A long-running source: starts emitting into `context.sink`; called again (after stop) when the spec or sink changes. */
  start?(context: SourceContext): Promise<RunningSource> | RunningSource;
}

/** What a running adapter is given. */
export interface SourceContext {
  resource: Resource;
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
  /** The sink with `ceOverrides` applied: resolves once the sink accepted the events. */
  sink: Sink;
  /** Durable state of this source only (offsets, last tick); dropped when the source is deleted. */
  state: ScopedState;
  logger: Logger;
  /** A value from a Secret of the source's namespace (`{secretKeyRef: {name, key}}`); throws when missing. */
  secret(reference: unknown, field: string): string;
  /** Reports a condition on the source (e.g. `Deployed=False` with the process's exit status). */
  report(condition: Omit<Condition, 'lastTransitionTime'>): void;
  /** The source's own log (what `junction logs` shows): a supervised process writes its output here. */
  logs: LogBuffer;
  /** The environment a process the source runs inherits from Junction (PATH, HOME, LANG, TZ, TMPDIR). */
  processEnv: Readonly<Record<string, string>>;
  /** Junction's own resources, read-only by convention (ApiServerSource lists them and watches `store`). */
  resources: ResourceService;
  /** Junction's base URL (the `source` of events about its own resources). */
  url(): string;
  /** Ms since the epoch (injectable for tests). */
  now(): number;
}

/** A source's own slice of the key-value store. */
export interface ScopedState {
  get(key: string): string | undefined;
  set(key: string, value: string, ttlMs?: number): void;
}

/** A started adapter. */
export interface RunningSource {
  /** Stops emitting; resolves when nothing more will be sent. */
  stop(): Promise<void>;
}

/** The state bucket of a source, shared by the reconciler (which drops it on delete) and push routes. */
export function stateBucket(purpose: 'state' | 'dedupe', namespace: string, kind: string, name: string): string {
  return `sources/${purpose}/${namespace}/${kind}/${name}`;
}

export type { KeyValueStore };
