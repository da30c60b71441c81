/** Kubernetes-style object metadata; `namespace` is the tenant. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** A Knative-style condition (`Ready`, …). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  severity?: string;
}

/** Status fields every reconciled resource carries. */
export interface ResourceStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  address?: { url: string; name?: string };
  [field: string]: unknown;
}

/** Any resource `{apiVersion, kind, metadata, spec, status}` (Secrets and ConfigMaps carry `data`). */
export interface Resource<Spec = Record<string, unknown>> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: ResourceStatus;
  [field: string]: unknown;
}

/** Identifies one stored resource. */
export interface ResourceKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** A change seen by watchers, as Kubernetes watch events. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Resource;
}

/** Splits `group/version` (or `v1` for the core group). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
