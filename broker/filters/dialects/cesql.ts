import type { FieldProblem } from '../../../core/errors.js';
import { CesqlParseError } from '../cesql/index.js';
import { compileProgram, matchesProgram } from '../cesql/program.js';
import type { FilterDialect } from '../types.js';

const code = 'JUNCTION_FILTER_CESQL_INVALID' as const;

/** Compiles the expression or says why it cannot run: a syntax error, or a call to a function that does not exist. */
function problemsOf(value: unknown, path: string): FieldProblem[] {
  if (typeof value !== 'string') return [{ path, message: 'must be a CESQL expression (a string)', code }];
  try {
    const program = compileProgram(value);
    // The spec makes an unknown function an evaluation error, so such a filter could never match: refuse it now.
    return program.missingFunctions.map((call) => ({ path, message: `${call.message} at column ${call.position}`, code }));
  } catch (error) {
    if (error instanceof CesqlParseError) return [{ path, message: `invalid CESQL: ${error.message}`, code }];
    throw error;
  }
}

/**
 * `cesql: "<expression>"` (CloudEvents SQL v1). Validation compiles the expression, so syntax
 * errors are reported at admission with their column. The predicate is true only when the
 * expression yields Boolean true without any evaluation error (spec 1.2: anything else, including
 * a missing attribute or a failed cast, does not match). The event is read in place, no copy.
 * No index cover: the trigger is scanned (CESQL is arbitrary, soundness first).
 */
export const cesqlDialect: FilterDialect = {
  validate: (value, path) => problemsOf(value, path),
  compile(value) {
    const program = compileProgram(value as string);
    return (event) => matchesProgram(program, event);
  },
};
