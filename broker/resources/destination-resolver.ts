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
  return relativeTo(base, destination.uri);
}

/**
 * A Destination's uri beside a ref: the ref's address is its root, so a relative path is appended
 * to it whether or not it starts with `/` (`/dead` and `dead` on `…/default/dlq` both give
 * `…/default/dlq/dead`), a query or fragment alone is added to it, and an absolute URL stands alone.
 */
function relativeTo(base: string, uri: string): string {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(uri)) return new URL(uri, base).toString();
  const split = /^([^?#]*)(.*)$/s.exec(uri) as RegExpExecArray;
  const path = split[1].replace(/^\/+/, '');
  return new URL(`${base.replace(/\/+$/, '')}${path ? `/${path}` : ''}${split[2]}`).toString();
}
