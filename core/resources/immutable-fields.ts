import type { FieldProblem } from '../errors.js';
import { fieldPath } from './field-path.js';
import type { Resource } from './types.js';

/** A field by its path segments (`['spec', 'broker']`, `['metadata', 'annotations', 'eventing.knative.dev/broker.class']`). */
export type FieldRef = readonly string[];

/** The value as JSON with object keys sorted, so equal values written in another key order compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item,
  ) ?? 'undefined';
}

function valueAt(resource: Resource, field: FieldRef): unknown {
  return field.reduce<unknown>((node, segment) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined), resource);
}

/**
 * Knative's CheckImmutableFields for every kind at once: each listed field of an update (after
 * defaults) must equal the stored one; a change (also setting or removing it) is a JUNCTION_FIELD_IMMUTABLE problem.
 */
export function immutableFieldProblems(fields: readonly FieldRef[], previous: Resource, next: Resource): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const before = valueAt(previous, field);
    const after = valueAt(next, field);
    if (canonical(before) === canonical(after)) continue;
    const shown = (value: unknown) => (value === undefined ? 'unset' : canonical(value));
    problems.push({
      path: fieldPath(field),
      message: `field is immutable (was ${shown(before)}, now ${shown(after)}); delete and re-create the ${next.kind} to change it`,
      code: 'JUNCTION_FIELD_IMMUTABLE',
    });
  }
  return problems;
}
