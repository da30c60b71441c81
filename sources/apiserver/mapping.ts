import { createHash } from 'node:crypto';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { Resource } from '../../core/resources/index.js';
import type { ApiServerSpec, LabelSelector, WatchedResource } from './spec.js';

/** The CloudEvent types of ApiServerSource (Knative's): `resource.*` in mode Resource, `ref.*` in mode Reference. */
export const APISERVER_EVENT_TYPES = [
  'dev.knative.apiserver.resource.add',
  'dev.knative.apiserver.resource.update',
  'dev.knative.apiserver.resource.delete',
  'dev.knative.apiserver.ref.add',
  'dev.knative.apiserver.ref.update',
  'dev.knative.apiserver.ref.delete',
] as const;

/** What happened to a watched object. */
export type ChangeType = 'add' | 'update' | 'delete';

/** True when `labels` satisfy the selector (no selector: everything); NotIn and DoesNotExist hold for a missing label, as in Kubernetes. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const present = labels ?? {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(present, key);
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) if (present[key] !== value) return false;
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    if (operator === 'In' && !(has(key) && values.includes(present[key]))) return false;
    if (operator === 'NotIn' && has(key) && values.includes(present[key])) return false;
    if (operator === 'Exists' && !has(key)) return false;
    if (operator === 'DoesNotExist' && has(key)) return false;
  }
  return true;
}

/** True when the object has an ownerReference of the owner's kind (and apiVersion, when the spec names one). */
export function ownerMatches(owner: ApiServerSpec['owner'], object: Resource): boolean {
  if (!owner) return true;
  const references = (object.metadata.ownerReferences ?? []) as Array<{ apiVersion?: string; kind?: string }>;
  return references.some((reference) => reference.kind === owner.kind && (!owner.apiVersion || reference.apiVersion === owner.apiVersion));
}

/** The group of an apiVersion (`''` for the core `v1`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The identity of a kind across its versions (`apps/Deployment`, `/ConfigMap`): the same objects, whichever version lists them. */
export function kindKey(apiVersion: string, kind: string): string {
  return `${groupOf(apiVersion)}/${kind}`;
}

/** True when some `spec.resources[]` entry of the object's kind selects it and it passes the owner filter. */
export function watches(spec: ApiServerSpec, object: Resource): boolean {
  const key = kindKey(object.apiVersion, object.kind);
  const entries = spec.resources.filter((entry: WatchedResource) => kindKey(entry.apiVersion, entry.kind) === key);
  return entries.some((entry) => selectorMatches(entry.selector, object.metadata.labels)) && ownerMatches(spec.owner, object);
}

/** The object's API path: `/apis/<group>/<version>/namespaces/<ns>/<plural>/<name>`, `/api/v1/...` for the core group. */
export function objectPath(apiVersion: string, plural: string, namespace: string, name: string): string {
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${root}/namespaces/${namespace}/${plural}/${name}`;
}

/** A Secret as events show it: keys kept, values emptied, `stringData` and the last-applied annotation (which holds values) dropped. */
export function redactSecret(object: Resource): Resource {
  if (object.kind !== 'Secret' || groupOf(object.apiVersion) !== '') return object;
  const data: Record<string, string> = {};
  for (const key of Object.keys((object.data as Record<string, string> | undefined) ?? {})) data[key] = '';
  const { stringData: _stringData, ...rest } = object;
  const annotations: Record<string, string> = { ...(object.metadata.annotations ?? {}), 'junction.dev/redacted': 'true' };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return { ...rest, metadata: { ...object.metadata, annotations }, data };
}

/**
 * A stable id for one change: the same change sent again (after a restart) keeps its id. Add and
 * update are identified by the resourceVersion they report, a delete by the last one that was sent.
 */
export function changeId(uid: string, resourceVersion: string, type: ChangeType): string {
  const digest = createHash('sha256').update(`${uid}\n${resourceVersion}\n${type}`).digest('hex');
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
}

/** What one event describes. `object` is the whole object (or, for a delete found by a re-list, its identity only). */
export interface Change {
  type: ChangeType;
  object: Resource;
  /** The resourceVersion the id is derived from. */
  resourceVersion: string;
  plural: string;
}

/** The CloudEvent of a change, as Knative's ApiServerSource emits it (`source` = the API server's URL). */
export function changeEvent(change: Change, mode: ApiServerSpec['mode'], source: string, time: number): CloudEvent {
  const { object } = change;
  const { name, namespace = '', uid = `${namespace}/${name}` } = object.metadata;
  const reference = mode === 'Resource' ? undefined : { apiVersion: object.apiVersion, kind: object.kind, name, namespace };
  return {
    specversion: '1.0',
    id: changeId(uid, change.resourceVersion, change.type),
    source,
    type: `dev.knative.apiserver.${reference ? 'ref' : 'resource'}.${change.type}`,
    subject: objectPath(object.apiVersion, change.plural, namespace, name),
    time: new Date(time).toISOString(),
    datacontenttype: 'application/json',
    kind: object.kind,
    apiversion: object.apiVersion,
    name,
    namespace,
    data: reference ?? redactSecret(object),
  };
}
