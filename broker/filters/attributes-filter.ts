import { childPath, readAttribute } from './attribute-value.js';
import { attributeMapProblems } from './attribute-map-schema.js';
import { keyCover } from './index-cover.js';
import type { Conjunct, FilterProblem } from './types.js';

/** Every problem of a legacy `filter: {attributes: {...}}`, with paths below `path`. */
export function validateAttributesFilter(filter: unknown, path: string): FilterProblem[] {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'object' || Array.isArray(filter)) return [{ path, message: 'must be an object with an attributes map' }];
  const problems: FilterProblem[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key !== 'attributes') problems.push({ path: childPath(path, key), message: 'unknown field; a filter has only attributes' });
    else if (value !== null) problems.push(...attributeMapProblems(value, childPath(path, key)));
  }
  return problems;
}

/**
 * The constraints of a validated legacy filter, one per attribute; all must match exactly. An empty
 * value means "any value", and, as in Knative (eventing#4847), the attribute must still be present
 * with a non-empty value. No filter (or no attributes) means no constraint.
 */
export function attributesFilterConjuncts(filter: unknown): Conjunct[] {
  const attributes = (filter as { attributes?: Record<string, string> | null } | null | undefined)?.attributes ?? {};
  return Object.entries(attributes).map(([attribute, expected]): Conjunct => {
    if (expected === '') return { predicate: (event) => Boolean(readAttribute(event, attribute)), cover: {} };
    return {
      predicate: (event) => readAttribute(event, attribute) === expected,
      cover: keyCover({ kind: 'exact', attribute, value: expected }),
    };
  });
}
