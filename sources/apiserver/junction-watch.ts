import type { KindDefinition, Resource, WatchEvent } from '../../core/resources/index.js';
import type { SourceContext } from '../framework/adapter.js';
import type { ChangeEmitter, KindInfo } from './emitter.js';
import { kindKey, redactSecret, watches } from './mapping.js';
import type { ApiServerSpec } from './spec.js';

/**
 * Watches Junction's own resources of the source's namespace (never another's). Resumes with
 * `store.watch(listener, position)`: when the store still holds every change since the position the
 * replay is exact; otherwise (a restart, or too many changes since) the kinds are listed and
 * diffed against what was sent. Returns the function that stops watching.
 */
export function watchJunction(context: SourceContext, spec: ApiServerSpec, emitter: ChangeEmitter): () => void {
  const { kinds, store } = context.resources;
  const watched = new Map<string, KindDefinition>();
  for (const entry of spec.resources) {
    const definition = kinds.forDocument(entry.apiVersion, entry.kind);
    watched.set(kindKey(entry.apiVersion, definition.kind), definition);
  }
  const info = (definition: KindDefinition): KindInfo => ({ key: `${definition.group}/${definition.kind}`, plural: definition.plural });
  const view = (definition: KindDefinition, object: Resource): Resource => redactSecret(context.resources.redact(definition, structuredClone(object)));

  const start = Number(emitter.position ?? Number.NaN);
  // Every store write has the next resourceVersion, so changes up to `floor` are accounted for.
  let floor = Number.isNaN(start) ? 0 : start;
  let first: number | undefined;
  const handle = (event: WatchEvent, resourceVersion: number): void => {
    if (resourceVersion <= floor) return;
    first ??= resourceVersion;
    floor = resourceVersion;
    const object = event.object;
    if ((object.metadata.namespace ?? 'default') !== context.namespace) return;
    const definition = watched.get(kindKey(object.apiVersion, object.kind));
    if (!definition) return;
    const shown = view(definition, object);
    if (event.type === 'DELETED') emitter.removed(info(definition), shown, String(resourceVersion));
    else emitter.observe(info(definition), shown, watches(spec, shown), String(resourceVersion));
  };

  const unsubscribe = store.watch(handle, Number.isNaN(start) ? undefined : start);
  const current = store.resourceVersion;
  const gapless = !Number.isNaN(start) && floor === current && (first === undefined || first === start + 1);
  if (!gapless) {
    // The listing is read synchronously, so it shows the store exactly at `current`.
    const definitions = [...watched.values()];
    definitions.forEach((definition, index) => {
      const objects = store.list(definition.group, definition.kind, context.namespace).map((object) => view(definition, object));
      emitter.resync(info(definition), objects, (object) => watches(spec, object), index === definitions.length - 1 ? String(current) : undefined);
    });
    floor = Math.max(floor, current);
  }
  return unsubscribe;
}
