import type { Resource } from '../../core/resources/index.js';
import { revisionName } from '../resources/naming.js';
import { DEFAULT_TRAFFIC, type TrafficTarget } from '../resources/traffic.js';

const SERVING = 'serving.knative.dev/v1';
/** Knative's labels tying children to their parents. */
export const SERVICE_LABEL = 'serving.knative.dev/service';
export const CONFIGURATION_LABEL = 'serving.knative.dev/configuration';
export const CONFIGURATION_GENERATION_LABEL = 'serving.knative.dev/configurationGeneration';
export const ROUTE_LABEL = 'serving.knative.dev/route';

interface Template {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

function ownerReference(owner: Resource) {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/**
 * What a Service stands for, as Knative's Service reconciler creates them: a Configuration and a
 * Route of the same name, owned by it; `latestRevision` traffic names the Configuration.
 */
export function serviceChildren(service: Resource): { configuration: Resource; route: Resource } {
  const namespace = service.metadata.namespace ?? 'default';
  const name = service.metadata.name;
  const spec = (service.spec ?? {}) as { template?: Template; traffic?: TrafficTarget[] };
  const labels = { ...(service.metadata.labels ?? {}), [SERVICE_LABEL]: name };
  const metadata = (kindLabels: Record<string, string>) => ({ name, namespace, labels: kindLabels, annotations: service.metadata.annotations, ownerReferences: [ownerReference(service)] });
  const traffic = (spec.traffic?.length ? spec.traffic : DEFAULT_TRAFFIC).map((entry) => (entry.latestRevision === true ? { ...entry, configurationName: name } : { ...entry }));
  return {
    configuration: { apiVersion: SERVING, kind: 'Configuration', metadata: metadata(labels), spec: { template: spec.template ?? {} } },
    route: { apiVersion: SERVING, kind: 'Route', metadata: metadata(labels), spec: { traffic } },
  };
}

/**
 * The Revision a Configuration's current generation stands for: named `<config>-<generation>` (or
 * by the template), its spec the template's spec, labelled with its configuration, generation and
 * service, carrying the template's annotations (autoscaling), owned by the Configuration.
 */
export function configurationRevision(configuration: Resource): Resource {
  const namespace = configuration.metadata.namespace ?? 'default';
  const template = ((configuration.spec ?? {}) as { template?: Template }).template ?? {};
  const generation = configuration.metadata.generation ?? 1;
  const service = configuration.metadata.labels?.[SERVICE_LABEL];
  return {
    apiVersion: SERVING,
    kind: 'Revision',
    metadata: {
      name: revisionName(configuration.metadata.name, generation, template.metadata?.name),
      namespace,
      labels: {
        ...(template.metadata?.labels ?? {}),
        [CONFIGURATION_LABEL]: configuration.metadata.name,
        [CONFIGURATION_GENERATION_LABEL]: String(generation),
        ...(service !== undefined ? { [SERVICE_LABEL]: service } : {}),
      },
      annotations: { ...(configuration.metadata.annotations ?? {}), ...(template.metadata?.annotations ?? {}) },
      ownerReferences: [ownerReference(configuration)],
    },
    spec: template.spec ?? {},
  };
}

/**
 * The latest ready Revision of a Configuration among `revisions` (Knative's latestReadyRevisionName):
 * the highest configuration generation whose Ready is True.
 */
export function latestReadyRevision(revisions: readonly Resource[]): string | undefined {
  let best: { name: string; generation: number } | undefined;
  for (const revision of revisions) {
    if (revision.status?.conditions?.find((condition) => condition.type === 'Ready')?.status !== 'True') continue;
    const generation = Number(revision.metadata.labels?.[CONFIGURATION_GENERATION_LABEL] ?? 0);
    if (!best || generation > best.generation) best = { name: revision.metadata.name, generation };
  }
  return best?.name;
}
