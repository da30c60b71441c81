import type { Compiled } from './compiled.js';
import { raise, type EvaluationContext } from './errors.js';
import { checkedInteger, toBoolean, toInteger, toText, type Evaluator, type Value } from './values.js';

type IntegerOperation = (a: number, b: number, context: EvaluationContext, position: number) => number;

const arithmetic: Record<string, IntegerOperation> = {
  '+': (a, b, context, position) => checkedInteger(a + b, context, position, 'addition'),
  '-': (a, b, context, position) => checkedInteger(a - b, context, position, 'subtraction'),
  '*': (a, b, context, position) => checkedInteger(a * b, context, position, 'multiplication'),
  '/': (a, b, context, position) => {
    if (b === 0) {
      raise(context, 'math', 'division by zero', position);
      return 0;
    }
    return checkedInteger(Math.trunc(a / b), context, position, 'division');
  },
  '%': (a, b, context, position) => {
    if (b === 0) {
      raise(context, 'math', 'modulo by zero', position);
      return 0;
    }
    const remainder = a % b; // same sign as a, as the spec asks
    return remainder === 0 ? 0 : remainder;
  },
};

const comparisons: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** Evaluates both operands (stopping at an error, which yields `zero`) and combines them. */
function binary<T extends Value>(left: Compiled, right: Compiled, zero: T, combine: (a: Value, b: Value, context: EvaluationContext) => T): Evaluator {
  const [x, y] = [left.evaluate, right.evaluate];
  if (right.constant) {
    const b = right.constant.value;
    return (context) => {
      const a = x(context);
      return context.errors !== null ? zero : combine(a, b, context);
    };
  }
  return (context) => {
    const a = x(context);
    if (context.errors !== null) return zero;
    const b = y(context);
    return context.errors !== null ? zero : combine(a, b, context);
  };
}

/** `+ - * / %: Integer x Integer -> Integer`; results outside 32 bits are clamped with a MathError. */
export function arithmeticOperator(operator: string, left: Compiled, right: Compiled, position: number): Evaluator {
  const operation = arithmetic[operator];
  return binary(left, right, 0, (a, b, context) => operation(toInteger(a, context, position), toInteger(b, context, position), context, position));
}

/** `< <= > >=: Integer x Integer -> Boolean`. */
export function comparisonOperator(operator: string, left: Compiled, right: Compiled, position: number): Evaluator {
  const compare = comparisons[operator];
  return binary(left, right, false, (a, b, context) => compare(toInteger(a, context, position), toInteger(b, context, position)));
}

/** `x = y` for the ambiguous `=` (spec 3.7): x is cast to the type of y, then compared. */
export function equals(a: Value, b: Value, context: EvaluationContext, position: number): boolean {
  if (typeof b === 'string') return toText(a) === b;
  if (typeof b === 'number') return toInteger(a, context, position) === b;
  return toBoolean(a, context, position) === b;
}

/** `=`, and `!=` / `<>` (the negation of `=`). */
export function equalityOperator(negated: boolean, left: Compiled, right: Compiled, position: number): Evaluator {
  if (right.constant && typeof right.constant.value === 'string') {
    // The common `attribute = 'text'`: no cast when the attribute is a String already.
    const b = right.constant.value;
    return binary(left, right, false, (a) => (typeof a === 'string' ? a === b : toText(a) === b) !== negated);
  }
  return binary(left, right, false, (a, b, context) => equals(a, b, context, position) !== negated);
}

/** `-x: Integer -> Integer`; -(-2147483648) is clamped with a MathError. */
export function negateOperator(operand: Compiled, position: number): Evaluator {
  const x = operand.evaluate;
  return (context) => {
    const a = x(context);
    if (context.errors !== null) return 0;
    return checkedInteger(-toInteger(a, context, position), context, position, 'negation');
  };
}
