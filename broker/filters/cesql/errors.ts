/** The error kinds of CESQL v1 (spec section 3.3), as the CloudEvents TCK names them. */
export type CesqlErrorKind = 'parse' | 'math' | 'cast' | 'missingAttribute' | 'missingFunction' | 'functionEvaluation';

/** One error raised while compiling or evaluating an expression (CESQL returns a value together with its errors). */
export interface CesqlError {
  kind: CesqlErrorKind;
  message: string;
  /** 1-based character position in the expression of the operator, function or attribute that raised it. */
  position?: number;
}

/** What every evaluator closure reads and writes: the event and the errors raised so far (null: none yet). */
export interface EvaluationContext {
  readonly event: Record<string, unknown>;
  errors: CesqlError[] | null;
}

/** Records an error on the context. */
export function raise(context: EvaluationContext, kind: CesqlErrorKind, message: string, position: number): void {
  const error: CesqlError = { kind, message, position };
  if (context.errors === null) context.errors = [error];
  else context.errors.push(error);
}
