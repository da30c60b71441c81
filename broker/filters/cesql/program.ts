import type { CesqlError, EvaluationContext } from './errors.js';
import { Compiler, type MissingFunctionCall } from './compiler.js';
import { parse } from './parser.js';
import type { Evaluator } from './values.js';

/** A compiled CESQL expression: immutable, reusable, safe to evaluate against any number of events. */
export interface CompiledExpression {
  /** The expression text it was compiled from. */
  readonly source: string;
  /**
   * Calls that no built-in function answers (unknown name or wrong number of arguments). The spec
   * makes them evaluation errors (false with a MissingFunctionError), so they are listed here for
   * callers that want to refuse such an expression up front.
   */
  readonly missingFunctions: readonly MissingFunctionCall[];
}

/** The implementation behind CompiledExpression. */
export class Program implements CompiledExpression {
  constructor(
    readonly source: string,
    readonly missingFunctions: readonly MissingFunctionCall[],
    readonly root: Evaluator,
  ) {
    Object.freeze(this);
  }
}

/** Parses and compiles an expression; throws CesqlParseError on a syntax error. */
export function compileProgram(source: string): Program {
  const compiler = new Compiler();
  const root = compiler.compile(parse(source)).evaluate;
  return new Program(source, Object.freeze(compiler.missingFunctions.map((call) => Object.freeze(call))), root);
}

/** The outcome of one evaluation: the value and every error raised (empty when none). */
export interface Evaluation {
  value: boolean | number | string;
  errors: CesqlError[];
}

/** Runs a program; never throws (an event whose attributes cannot be read counts as missing them). */
export function runProgram(program: Program, event: Record<string, unknown>): Evaluation {
  const context: EvaluationContext = { event, errors: null };
  try {
    const value = program.root(context);
    return { value, errors: context.errors ?? [] };
  } catch (error) {
    const message = `the event could not be read: ${error instanceof Error ? error.message : String(error)}`;
    return { value: false, errors: [...(context.errors ?? []), { kind: 'missingAttribute', message }] };
  }
}

/** True only when the expression evaluates to Boolean true without any error (a filter match, spec 1.2). */
export function matchesProgram(program: Program, event: Record<string, unknown>): boolean {
  const context: EvaluationContext = { event, errors: null };
  try {
    return program.root(context) === true && context.errors === null;
  } catch {
    return false;
  }
}
