import { createError } from '../../core/errors.js';
import type { ResourceService } from '../../core/resources/index.js';
import type { Destination } from './destination.js';

/** Turns a Destination into a URL: a `ref` names an addressable resource (status.address.url or status.url), `uri` is appended to it or used alone. */
export function resolveDestination(resources: ResourceService, destination: Destination, namespace: string): string {
  let base: string | undefined;
  if (destination.ref) {
    const ref = destination.ref;
    const kind = resources.kinds.forDocument(ref.apiVersion, ref.kind);
    const target = resources.store.get(resources.keyOf(kind, ref.namespace ?? namespace, ref.name));
    if (!target) throw createError('JUNCTION_RESOURCE_NOT_FOUND', `${ref.kind} ${ref.namespace ?? namespace}/${ref.name} does not exist`);
    const status = target.status as { address?: { url?: string }; url?: string } | undefined;
    base = status?.address?.url ?? status?.url;
    if (!base) throw createError('JUNCTION_RESOURCE_NOT_FOUND', `${ref.kind} ${ref.namespace ?? namespace}/${ref.name} has no address yet`);
  }
  if (destination.uri === undefined) return base!;
  if (base === undefined) return destination.uri;
  return new URL(destination.uri, base.endsWith('/') ? base : `${base}/`).toString();
}
