import type { Compiled } from './compiled.js';
import type { CesqlError } from './errors.js';
import { toBoolean, type Evaluator } from './values.js';

/** `NOT x: Boolean -> Boolean`. */
export function notOperator(operand: Compiled, position: number): Evaluator {
  const x = operand.evaluate;
  if (operand.type === 'boolean') {
    return (context) => {
      const a = x(context);
      return context.errors === null && !a;
    };
  }
  return (context) => {
    const a = x(context);
    if (context.errors !== null) return false;
    return !toBoolean(a, context, position);
  };
}

/** `x AND y`, short-circuit: y is not evaluated when x is false (spec 3.4.2). */
export function andOperator(left: Compiled, right: Compiled, position: number): Evaluator {
  const [x, y] = [left.evaluate, right.evaluate];
  return (context) => {
    const a = x(context);
    if (context.errors !== null) return false;
    // A failed cast of x yields false (with a CastError), which short-circuits too.
    if (!(typeof a === 'boolean' ? a : toBoolean(a, context, position))) return false;
    const b = y(context);
    if (context.errors !== null) return false;
    return typeof b === 'boolean' ? b : toBoolean(b, context, position);
  };
}

/** `x OR y`, short-circuit: y is not evaluated when x is true (spec 3.4.2). */
export function orOperator(left: Compiled, right: Compiled, position: number): Evaluator {
  const [x, y] = [left.evaluate, right.evaluate];
  return (context) => {
    const a = x(context);
    if (context.errors !== null) return false;
    if (typeof a === 'boolean' ? a : toBoolean(a, context, position)) return true;
    // x's cast may have failed (false, CastError): evaluate y on a clean slate, then put x's error first.
    const castErrors = context.errors as CesqlError[] | null;
    context.errors = null;
    const b = y(context);
    const raised = context.errors as CesqlError[] | null; // y may have raised some
    if (raised !== null) {
      if (castErrors) raised.unshift(...castErrors);
      return false;
    }
    context.errors = castErrors;
    return typeof b === 'boolean' ? b : toBoolean(b, context, position);
  };
}

/** `x XOR y` (both operands are always evaluated). */
export function xorOperator(left: Compiled, right: Compiled, position: number): Evaluator {
  const [x, y] = [left.evaluate, right.evaluate];
  return (context) => {
    const a = x(context);
    if (context.errors !== null) return false;
    const b = y(context);
    if (context.errors !== null) return false;
    return toBoolean(a, context, position) !== toBoolean(b, context, position);
  };
}
