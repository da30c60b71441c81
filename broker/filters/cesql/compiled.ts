import type { Evaluator, Value, ValueType } from './values.js';

/**
 * A compiled sub-expression: its evaluator, its static type (`any` when only the event decides,
 * i.e. attributes), and whether it reads the event at all (if not, the compiler may fold it).
 *
 * Error propagation, the same for every operator and function: operands are evaluated first; if
 * one raised an error, the operator stops and returns the zero value of its own return type (spec
 * 3.2, 3.3), so an error anywhere makes every enclosing operator yield its zero value. Errors an
 * operator raises itself (a failed implicit cast, division by zero, overflow) come with the value
 * the spec prescribes for it, computed from the cast results. Evaluators rely on one invariant:
 * `context.errors` is null whenever an evaluator is entered.
 */
export interface Compiled {
  evaluate: Evaluator;
  type: ValueType;
  reads: boolean;
  /** Set when the value is known at compile time (a literal or a folded sub-expression). */
  constant?: { value: Value };
}

/** A compiled constant. */
export function constant(value: Value): Compiled {
  const evaluate: Evaluator = () => value;
  return { evaluate, type: typeof value === 'number' ? 'integer' : typeof value === 'string' ? 'string' : 'boolean', reads: false, constant: { value } };
}
