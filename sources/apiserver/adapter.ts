import { compileTriggerFilter } from '../../broker/index.js';
import type { RunningSource, SourceAdapter, SourceContext } from '../framework/adapter.js';
import { ChangeEmitter } from './emitter.js';
import { watchJunction } from './junction-watch.js';
import { APISERVER_EVENT_TYPES } from './mapping.js';
import { apiServerSpecProperties, validateApiServerSpec, type ApiServerSpec } from './spec.js';

/** Starts watching: a cluster when `spec.kubeconfig` is set (its Secret read now), Junction's own resources otherwise. */
async function startApiServer(context: SourceContext): Promise<RunningSource> {
  const spec = { mode: 'Reference', ...context.spec } as ApiServerSpec;
  const filter = Array.isArray(spec.filters) && spec.filters.length > 0 ? compileTriggerFilter({ filters: spec.filters }) : () => true;
  if (spec.kubeconfig) {
    const kubeconfig = context.secret(spec.kubeconfig, 'spec.kubeconfig');
    // Loaded only when a source watches a cluster: the client library is large.
    const { loadCluster, watchCluster } = await import('./kube-watch.js');
    const cluster = loadCluster(kubeconfig);
    const emitter = new ChangeEmitter(context, spec, cluster.server, filter);
    const stop = watchCluster(context, spec, emitter, cluster);
    context.logger.info({ server: cluster.server, kinds: spec.resources.map((r) => r.kind) }, 'watching the cluster');
    return {
      async stop() {
        await stop();
        await emitter.stop();
      },
    };
  }
  const emitter = new ChangeEmitter(context, spec, context.url(), filter);
  const unsubscribe = watchJunction(context, spec, emitter);
  return {
    async stop() {
      unsubscribe();
      await emitter.stop();
    },
  };
}

/**
 * Knative's ApiServerSource (`sources.knative.dev/v1`): an event per add, update and delete of the
 * selected objects of its namespace — Junction's own resources, or a Kubernetes cluster's through
 * `spec.kubeconfig`. Nothing is lost across disconnects and restarts; Secrets are shown without values.
 */
export const apiServerSourceAdapter: SourceAdapter = {
  kind: 'ApiServerSource',
  apis: [{ group: 'sources.knative.dev', versions: ['v1'] }],
  shortNames: ['apiserver'],
  description: 'Emits an event per add, update and delete of selected resources (Knative ApiServerSource)',
  eventTypes: [...APISERVER_EVENT_TYPES],
  specProperties: apiServerSpecProperties,
  requiredSpec: ['resources'],
  validate: (spec) => validateApiServerSpec(spec),
  start: startApiServer,
};
