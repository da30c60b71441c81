import type { EvaluationContext } from '../errors.js';
import type { Value, ValueType } from '../values.js';

/**
 * A CESQL function (spec 3.5): fixed parameters, optionally a variadic tail, one return type.
 * `invoke` gets its arguments already cast to the parameter types and returns a value of the
 * return type even when it raises an error on the context (spec 3.5.3).
 */
export interface FunctionDefinition {
  name: string;
  parameters: ValueType[];
  /** Type of any further arguments; absent for a fixed arity. */
  variadic?: ValueType;
  returns: Exclude<ValueType, 'any'>;
  invoke(args: Value[], context: EvaluationContext, position: number): Value;
}
