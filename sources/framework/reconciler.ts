import type { Logger } from 'pino';
import type { Sink, SinkResolver } from '../../broker/index.js';
import { parseDurationMs } from '../../core/duration/index.js';
import { ConditionSet, type Condition, type KindDefinition, type Reconciler, type Resource, type ResourceService, type ResourceStatus } from '../../core/resources/index.js';
import type { ProcessLogs } from '../../core/process/index.js';
import type { KeyValueStore } from '../../core/storage/index.js';
import { DEFAULT_DEDUPE_WINDOW_MS, DEFAULT_WEBHOOK_BODY_BYTES, type PushEndpoints } from '../webhook/endpoints.js';
import type { WebhookCredentials } from '../webhook/types.js';
import { stateBucket, type RunningSource, type SourceAdapter, type SourceContext } from './adapter.js';
import { declareEventTypes, forgetEventTypes } from './event-types.js';
import { overridesOf, withOverrides } from './events.js';
import type { SourceMetrics } from './metrics.js';
import { readSecretValue } from './secrets.js';

/** What the source reconcilers need from the rest of Junction. */
export interface SourceReconcilerDependencies {
  resources: ResourceService;
  sinks: SinkResolver;
  kv: KeyValueStore;
  endpoints: PushEndpoints;
  metrics: SourceMetrics;
  logger: Logger;
  /** Junction's base URL (push sources' `status.url`). */
  url(): string;
  /** Where running sources' processes write their output (`junction logs`). */
  logs: ProcessLogs;
  /** The environment processes of sources inherit (PATH, HOME…), chosen once at start. */
  processEnv: Readonly<Record<string, string>>;
  now?: () => number;
}

/** How soon a source whose sink or Secret is missing is checked again (backing off to a minute). */
const RETRY_MS = 1000;

interface Started {
  fingerprint: string;
  running: RunningSource;
  /** Conditions the adapter reported since it started (e.g. its process exited). */
  reported: Map<string, Omit<Condition, 'lastTransitionTime'>>;
}

/**
 * The one reconciler of every source kind: resolves the sink (`SinkProvided`, `status.sinkUri`),
 * reads the Secrets a push source verifies with (`SecretsProvided`), serves push sources at
 * `status.url` or (re)starts long-running adapters when their spec or sink changes (`Deployed`),
 * and on delete stops them and drops their dedupe and state keys.
 */
export function sourceReconciler(adapter: SourceAdapter, kind: KindDefinition, deps: SourceReconcilerDependencies): Reconciler & { stopAll(): Promise<void> } {
  const started = new Map<string, Started>();
  const now = deps.now ?? Date.now;

  const stop = async (uid: string): Promise<void> => {
    const current = started.get(uid);
    started.delete(uid);
    await current?.running.stop();
  };

  return {
    group: kind.group,
    kind: kind.kind,
    async reconcile(resource, context) {
      const namespace = resource.metadata.namespace ?? 'default';
      const name = resource.metadata.name;
      const uid = resource.metadata.uid ?? `${namespace}/${name}`;
      const spec = (resource.spec ?? {}) as Record<string, unknown>;
      const webhook = adapter.webhook;
      const reported = started.get(uid)?.reported;
      const conditions = new ConditionSet(['SinkProvided', ...(webhook ? ['SecretsProvided'] : []), ...(adapter.start ? ['Deployed'] : []), ...[...(reported?.keys() ?? [])].filter((t) => t !== 'Deployed')]).manage(resource.status);
      const status = conditions.status;
      const fail = async (type: string, reason: string, message: string): Promise<ResourceStatus> => {
        if (webhook && deps.endpoints.owner(namespace, name) === uid) deps.endpoints.setNotReady(uid, namespace, name, message);
        if (adapter.start) await stop(uid);
        conditions.markFalse(type, reason, message);
        context.requeueAfter(RETRY_MS);
        return status;
      };

      const holder = webhook ? deps.endpoints.owner(namespace, name) : undefined;
      if (holder !== undefined && holder !== uid) {
        return fail('SinkProvided', 'NameInUse', `another push source named ${name} already serves /sources/${namespace}/${name}; push sources of one namespace need distinct names`);
      }
      if (webhook && holder === undefined) deps.endpoints.setNotReady(uid, namespace, name, 'starting');

      let sink: Sink;
      try {
        sink = deps.sinks.resolve(namespace, spec.sink as never);
      } catch (error) {
        delete status.sinkUri;
        return fail('SinkProvided', 'NotFound', (error as Error).message);
      }
      status.sinkUri = sink.uri;
      conditions.markTrue('SinkProvided');
      if (adapter.declaredEventTypes) {
        try {
          declareEventTypes(deps.resources, resource, adapter.declaredEventTypes(spec, { namespace, name }));
        } catch (error) {
          deps.logger.warn({ source: `${namespace}/${name}`, err: (error as Error).message }, 'the EventTypes of a source were not recorded');
        }
      }
      const counted: Sink = {
        uri: sink.uri,
        inProcess: sink.inProcess,
        send: async (events, options) => {
          await sink.send(events, options);
          deps.metrics.emitted.inc({ namespace, source: name, kind: adapter.kind }, events.length);
        },
      };

      if (webhook) {
        const read = (): WebhookCredentials => {
          if (webhook.credential === 'publicKey') return { publicKey: readSecretValue(deps.resources, namespace, spec.publicKey, 'spec.publicKey') };
          if (webhook.credential === 'secret' && (spec.secretToken !== undefined || !webhook.optionalCredential)) {
            return { secret: readSecretValue(deps.resources, namespace, spec.secretToken, 'spec.secretToken') };
          }
          return {};
        };
        // Read again whenever any resource changed (a rotated Secret counts at once), else reused.
        let cached: { version: number; value: WebhookCredentials } | undefined;
        const credentials = (): WebhookCredentials => {
          const version = deps.resources.store.resourceVersion;
          if (cached?.version !== version) cached = { version, value: read() };
          return cached.value;
        };
        try {
          credentials();
        } catch (error) {
          return fail('SecretsProvided', 'SecretNotFound', (error as Error).message);
        }
        conditions.markTrue('SecretsProvided');
        deps.endpoints.set({
          uid,
          namespace,
          name,
          kind: adapter.kind,
          provider: webhook,
          spec,
          sink,
          overrides: overridesOf(spec),
          maxBodyBytes: webhook.maxBodyBytes ?? adapter.maxBodyBytes ?? DEFAULT_WEBHOOK_BODY_BYTES,
          toleranceSeconds: typeof spec.toleranceSeconds === 'number' ? spec.toleranceSeconds : webhook.toleranceSeconds,
          dedupeWindowMs: (typeof spec.dedupeWindow === 'string' ? parseDurationMs(spec.dedupeWindow) : undefined) ?? DEFAULT_DEDUPE_WINDOW_MS,
          credentials,
        });
        status.url = `${deps.url()}/sources/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
      }

      if (adapter.start) {
        const fingerprint = JSON.stringify([spec, sink.uri]);
        let current = started.get(uid);
        if (current?.fingerprint !== fingerprint) {
          await stop(uid);
          const fresh = new Map<string, Omit<Condition, 'lastTransitionTime'>>();
          const bucket = stateBucket('state', namespace, adapter.kind, name);
          const sourceContext: SourceContext = {
            resource,
            namespace,
            name,
            spec,
            sink: withOverrides(counted, overridesOf(spec)),
            state: { get: (key) => deps.kv.get(bucket, key), set: (key, value, ttlMs) => deps.kv.set(bucket, key, value, ttlMs) },
            logger: deps.logger.child({ source: `${namespace}/${name}`, kind: adapter.kind }),
            secret: (reference, field) => readSecretValue(deps.resources, namespace, reference, field),
            report: (condition) => {
              fresh.set(condition.type, condition);
              context.enqueue(kind.group, kind.kind, namespace, name);
            },
            logs: deps.logs.buffer(namespace, `${kind.plural}/${name}`),
            processEnv: deps.processEnv,
            resources: deps.resources,
            url: () => deps.url(),
            now,
          };
          try {
            current = { fingerprint, running: await adapter.start(sourceContext), reported: fresh };
            started.set(uid, current);
          } catch (error) {
            return fail('Deployed', 'StartFailed', (error as Error).message);
          }
        }
        if (!current.reported.has('Deployed')) conditions.markTrue('Deployed');
        for (const condition of current.reported.values()) {
          if (condition.status === 'True') conditions.markTrue(condition.type);
          else if (condition.status === 'False') conditions.markFalse(condition.type, condition.reason ?? 'Failed', condition.message ?? '');
          else conditions.markUnknown(condition.type, condition.reason ?? 'Unknown', condition.message ?? '');
        }
      }
      return status;
    },
    /** Stops every running adapter of this kind (shutdown: their state stays for the next start). */
    async stopAll() {
      await Promise.all([...started.keys()].map((uid) => stop(uid)));
    },
    async finalize(resource: Resource) {
      const namespace = resource.metadata.namespace ?? 'default';
      const name = resource.metadata.name;
      await stop(resource.metadata.uid ?? `${namespace}/${name}`);
      deps.endpoints.delete(resource.metadata.uid ?? `${namespace}/${name}`, namespace, name);
      deps.kv.deleteBucket(stateBucket('dedupe', namespace, adapter.kind, name));
      deps.kv.deleteBucket(stateBucket('state', namespace, adapter.kind, name));
      deps.metrics.forget(namespace, name, adapter.kind);
      deps.logs.drop(namespace, `${kind.plural}/${name}`);
      forgetEventTypes(deps.resources, namespace, adapter.kind, name);
    },
  };
}
