import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import { attributeNamePattern, childPath } from './attribute-value.js';
import type { FilterProblem } from './types.js';

const Ajv = AjvModule.default ?? AjvModule;
const ajv = new Ajv({ allErrors: true, strict: false });

/** `filter.attributes`: any number of attribute names, each with a string ('' means "any value"). */
const attributeMap = ajv.compile({
  type: 'object',
  propertyNames: { pattern: attributeNamePattern },
  additionalProperties: { type: 'string' },
});

/** `exact` / `prefix` / `suffix`: exactly one attribute name with a non-empty string. */
const singleAttribute = ajv.compile({
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  propertyNames: { pattern: attributeNamePattern },
  additionalProperties: { type: 'string', minLength: 1 },
});

/** Problems of a `filter.attributes` map, with paths below `path`. */
export function attributeMapProblems(value: unknown, path: string): FilterProblem[] {
  return problemsOf(attributeMap, value, path);
}

/** Problems of a single-attribute dialect value (`exact`, `prefix`, `suffix`), with paths below `path`. */
export function singleAttributeProblems(value: unknown, path: string): FilterProblem[] {
  return problemsOf(singleAttribute, value, path);
}

function problemsOf(validate: ValidateFunction, value: unknown, path: string): FilterProblem[] {
  if (validate(value)) return [];
  const problems: FilterProblem[] = [];
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error, value, path);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Turns one ajv error into a user-facing problem; returns undefined for ajv's duplicate wrapper errors. */
function toProblem(error: ErrorObject, value: unknown, path: string): FilterProblem | undefined {
  const at = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce(childPath, path);
  switch (error.keyword) {
    case 'type':
      return { path: at, message: at === path ? 'must be a map of attribute name to string' : 'must be a string' };
    case 'minProperties':
      return { path: at, message: 'must name exactly one attribute, found none' };
    case 'maxProperties':
      return { path: at, message: `must name exactly one attribute, found ${Object.keys(value as object).length}` };
    case 'minLength':
      return { path: at, message: 'must not be empty' };
    case 'pattern': {
      const name = error.propertyName ?? '';
      return name === ''
        ? { path: at, message: 'attribute name must not be empty' }
        : { path: childPath(at, name), message: 'attribute name must consist of lower-case letters a-z and digits 0-9' };
    }
    case 'propertyNames':
      return undefined;
    default:
      return { path: at, message: error.message ?? 'is invalid' };
  }
}
