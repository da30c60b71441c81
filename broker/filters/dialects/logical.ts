import { conjunctionCover, disjunctionCover, negatedCover } from '../index-cover.js';
import type { FilterDialect, FilterProblem, Predicate } from '../types.js';

/** Validates a non-empty list of nested expressions (`all` / `any`), each at `path[i]`. */
function validateList(value: unknown, path: string, validate: (expression: unknown, path: string) => FilterProblem[]): FilterProblem[] {
  if (!Array.isArray(value)) return [{ path, message: 'must be a list of filter expressions' }];
  if (value.length === 0) return [{ path, message: 'must contain at least one filter expression' }];
  return value.flatMap((expression, index) => validate(expression, `${path}[${index}]`));
}

/** Passes when every predicate passes (an empty list passes everything). */
export function allOf(predicates: Predicate[]): Predicate {
  if (predicates.length === 1) return predicates[0];
  return (event) => {
    for (let i = 0; i < predicates.length; i++) if (!predicates[i](event)) return false;
    return true;
  };
}

/** `all: [expr, …]`: every nested expression matches. */
export const allDialect: FilterDialect = {
  validate: (value, path, nested) => validateList(value, path, nested.validate),
  compile: (value, nested) => allOf((value as unknown[]).map(nested.compile)),
  cover: (value, nested) => conjunctionCover((value as unknown[]).map(nested.cover)),
};

/** `any: [expr, …]`: at least one nested expression matches. */
export const anyDialect: FilterDialect = {
  validate: (value, path, nested) => validateList(value, path, nested.validate),
  compile(value, nested): Predicate {
    const predicates = (value as unknown[]).map(nested.compile);
    return (event) => {
      for (let i = 0; i < predicates.length; i++) if (predicates[i](event)) return true;
      return false;
    };
  },
  cover: (value, nested) => disjunctionCover((value as unknown[]).map(nested.cover)),
};

/** `not: expr`: the nested expression does not match (so an absent attribute makes `not exact` pass). */
export const notDialect: FilterDialect = {
  validate: (value, path, nested) => nested.validate(value, path),
  compile(value, nested): Predicate {
    const predicate = nested.compile(value);
    return (event) => !predicate(event);
  },
  cover: (value, nested) => negatedCover(nested.cover(value)),
};
