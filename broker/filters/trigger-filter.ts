import { createError, type FieldProblem } from '../../core/errors.js';
import { attributesFilterConjuncts, validateAttributesFilter } from './attributes-filter.js';
import { defaultDialects } from './default-dialects.js';
import { allOf } from './dialects/logical.js';
import { createExpressionCompiler } from './expression.js';
import { placeConjuncts, type Placement } from './trigger-placement.js';
import type { Conjunct, FilterProblem, Predicate } from './types.js';

/** The filtering part of a Trigger's spec, as written (validated here, so typed loosely). */
export interface TriggerFilterSpec {
  /** Legacy `filter: {attributes: {name: value}}`. */
  filter?: unknown;
  /** Subscriptions API expressions, all of which must match; a non-empty list wins over `filter`. */
  filters?: unknown;
}

const expressions = createExpressionCompiler(defaultDialects);

function collectProblems(spec: TriggerFilterSpec, basePath: string): FilterProblem[] {
  const problems = validateAttributesFilter(spec.filter, `${basePath}.filter`);
  const filters = spec.filters;
  if (Array.isArray(filters)) {
    filters.forEach((expression, index) => problems.push(...expressions.validate(expression, `${basePath}.filters[${index}]`)));
  } else if (filters !== undefined && filters !== null) {
    problems.push({ path: `${basePath}.filters`, message: 'must be a list of filter expressions' });
  }
  return problems;
}

/** Every problem of a Trigger's `filter` and `filters`, each with its field path (`spec.filters[0].prefix`). */
export function validateTriggerFilter(spec: TriggerFilterSpec, basePath = 'spec'): FieldProblem[] {
  return collectProblems(spec, basePath);
}

/**
 * Throws the catalog error for a spec with problems: the problems' own code when they all share
 * one (_DIALECT_UNSUPPORTED, _CESQL_INVALID), JUNCTION_FILTER_INVALID otherwise.
 */
function assertValid(spec: TriggerFilterSpec, basePath: string): void {
  const problems = collectProblems(spec, basePath);
  if (problems.length === 0) return;
  const detail = problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
  const plain = problems.map(({ path, message }) => ({ path, message }));
  const [shared, ...others] = new Set(problems.map((problem) => problem.code));
  if (shared === 'JUNCTION_FILTER_DIALECT_UNSUPPORTED' && others.length === 0) {
    throw createError(shared, `unsupported filter dialect: ${detail}`, { problems: plain });
  }
  const code = shared !== undefined && others.length === 0 ? shared : 'JUNCTION_FILTER_INVALID';
  throw createError(code, `invalid trigger filter: ${detail}`, { problems: plain });
}

/** The top-level constraints: a non-empty `filters` list wins over `filter` (which is then ignored), as in Knative. */
function conjunctsOf(spec: TriggerFilterSpec): Conjunct[] {
  if (!Array.isArray(spec.filters) || spec.filters.length === 0) return attributesFilterConjuncts(spec.filter);
  return spec.filters.map((expression) => ({ predicate: expressions.compile(expression), cover: expressions.cover(expression) }));
}

/**
 * Compiles a Trigger's filter into a predicate (no filter: every event passes). Throws, with every
 * problem, JUNCTION_FILTER_DIALECT_UNSUPPORTED when the only problems are dialects this release
 * cannot run, JUNCTION_FILTER_CESQL_INVALID when they are all CESQL errors, JUNCTION_FILTER_INVALID otherwise.
 */
export function compileTriggerFilter(spec: TriggerFilterSpec, basePath = 'spec'): Predicate {
  assertValid(spec, basePath);
  return allOf(conjunctsOf(spec).map((conjunct) => conjunct.predicate));
}

/** Compiles a Trigger's filter and decides where the routing index files it; throws like compileTriggerFilter. */
export function planTriggerFilter(spec: TriggerFilterSpec, basePath = 'spec'): { predicate: Predicate; placement: Placement } {
  assertValid(spec, basePath);
  const conjuncts = conjunctsOf(spec);
  const predicate = allOf(conjuncts.map((conjunct) => conjunct.predicate));
  return { predicate, placement: placeConjuncts(conjuncts, predicate) };
}
