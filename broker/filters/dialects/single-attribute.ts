import { readAttribute } from '../attribute-value.js';
import { singleAttributeProblems } from '../attribute-map-schema.js';
import { keyCover } from '../index-cover.js';
import type { FilterDialect, IndexKey, Predicate } from '../types.js';

/** The one attribute name and value of a validated single-attribute map. */
function entryOf(value: unknown): [string, string] {
  return Object.entries(value as Record<string, string>)[0];
}

/**
 * A dialect whose value names exactly one attribute and a non-empty string (Knative's exact,
 * prefix, suffix). An event without the attribute never matches.
 */
function singleAttributeDialect(predicate: (attribute: string, expected: string) => Predicate, indexKind?: IndexKey['kind']): FilterDialect {
  return {
    validate: (value, path) => singleAttributeProblems(value, path),
    compile: (value) => predicate(...entryOf(value)),
    cover(value) {
      if (!indexKind) return {};
      const [attribute, expected] = entryOf(value);
      return keyCover({ kind: indexKind, attribute, value: expected });
    },
  };
}

/** `exact: {attr: value}`: the attribute equals the value. */
export const exactDialect = singleAttributeDialect(
  (attribute, expected) => (event) => readAttribute(event, attribute) === expected,
  'exact',
);

/** `prefix: {attr: value}`: the attribute starts with the value. */
export const prefixDialect = singleAttributeDialect(
  (attribute, expected) => (event) => readAttribute(event, attribute)?.startsWith(expected) === true,
  'prefix',
);

/** `suffix: {attr: value}`: the attribute ends with the value (not indexed). */
export const suffixDialect = singleAttributeDialect(
  (attribute, expected) => (event) => readAttribute(event, attribute)?.endsWith(expected) === true,
);
