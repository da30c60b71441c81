import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { KindDefinition, Reconciler } from '../../core/resources/index.js';
import { DEFAULT_WEBHOOK_BODY_BYTES, PushEndpoints } from '../webhook/endpoints.js';
import { registerWebhookRoutes } from '../webhook/route.js';
import type { SourceAdapter } from './adapter.js';
import { SourceMetrics } from './metrics.js';
import { sourceReconciler, type SourceReconcilerDependencies } from './reconciler.js';
import { SourceRegistry, type SourceTypeInfo } from './registry.js';
import { sourceKinds } from './source-kind.js';

/** What the running sources need, once the broker is up. */
export type SourcesRuntime = Omit<SourceReconcilerDependencies, 'endpoints' | 'metrics'> & { metricsRegistry: Registry };

/** The sources module as `junction start` wires it: kinds first (admission), then routes and reconcilers. */
export interface SourcesModule {
  /** Every source resource kind (one per adapter and served group). */
  kinds: KindDefinition[];
  /** The rows of `junction source-types`. */
  types(): SourceTypeInfo[];
  /** Serves `POST /sources/{ns}/{name}`; returns the reconcilers to register. */
  start(app: FastifyInstance, runtime: SourcesRuntime): Promise<Reconciler[]>;
  /** Stops every running adapter (their state is kept for the next start). */
  stop(): Promise<void>;
}

/** Builds the module from adapters (the built-in catalog, or a test's own). */
export function createSourcesModule(adapters: readonly SourceAdapter[]): SourcesModule {
  const registry = new SourceRegistry();
  for (const adapter of adapters) registry.register(adapter);
  const reconcilers: Array<ReturnType<typeof sourceReconciler>> = [];
  return {
    kinds: adapters.flatMap(sourceKinds),
    types: () => registry.types(),
    async start(app, runtime) {
      const endpoints = new PushEndpoints();
      const metrics = new SourceMetrics(runtime.metricsRegistry);
      const maxBodyBytes = Math.max(DEFAULT_WEBHOOK_BODY_BYTES, ...adapters.map((a) => a.webhook?.maxBodyBytes ?? a.maxBodyBytes ?? 0));
      await registerWebhookRoutes(app, { endpoints, kv: runtime.kv, metrics, maxBodyBytes, now: runtime.now });
      for (const adapter of adapters) {
        for (const kind of sourceKinds(adapter)) reconcilers.push(sourceReconciler(adapter, kind, { ...runtime, endpoints, metrics }));
      }
      return reconcilers;
    },
    async stop() {
      await Promise.all(reconcilers.map((reconciler) => reconciler.stopAll()));
    },
  };
}
