/**
 * CloudEvents SQL (CESQL v1): compile an expression once, evaluate it against many events.
 * Expressions compile to closures; LIKE patterns and literal IN lists are prepared at compile time.
 */
import type { CesqlError } from './errors.js';
import { CesqlParseError } from './parse-error.js';
import { compileProgram, Program, runProgram, type CompiledExpression } from './program.js';

export type { CesqlError, CesqlErrorKind } from './errors.js';
export type { CompiledExpression } from './program.js';
export type { MissingFunctionCall } from './compiler.js';
export { CesqlParseError };

/**
 * Compiles a CESQL expression. Throws CesqlParseError on a syntax error; its `position` is
 * 1-based (the first character of the expression is position 1) and its message names the column.
 * Unknown functions are not syntax errors (the spec makes them evaluation errors); they are
 * listed in `missingFunctions` of the result.
 */
export function compile(expression: string): CompiledExpression {
  if (typeof expression !== 'string') throw new CesqlParseError('', 0, 'the expression must be a string');
  return compileProgram(expression);
}

/**
 * Evaluates a compiled expression against an event given as context attributes and extensions by
 * name, with values as the CloudEvents JSON format has them (`data` is ignored). Never throws:
 * the value comes with every error raised, and a failed evaluation yields the value the spec
 * prescribes (usually the zero value: false, 0 or "").
 */
export function evaluate(compiled: CompiledExpression, event: Record<string, unknown>): { value: boolean | number | string; errors: CesqlError[] } {
  if (!(compiled instanceof Program)) {
    return { value: false, errors: [{ kind: 'parse', message: 'not an expression returned by compile()' }] };
  }
  return runProgram(compiled, typeof event === 'object' && event !== null ? event : {});
}
