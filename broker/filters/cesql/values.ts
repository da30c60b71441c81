import { raise, type EvaluationContext } from './errors.js';

/** A CESQL value: Boolean, Integer (a 32-bit signed JS number) or String. */
export type Value = boolean | number | string;

/** The static type of a sub-expression; `any` for attributes, whose type is known only per event. */
export type ValueType = 'boolean' | 'integer' | 'string' | 'any';

/** A compiled sub-expression: reads the context, may raise errors on it, always returns a value. */
export type Evaluator = (context: EvaluationContext) => Value;

/** The smallest Integer (spec 3.1: signed 32-bit). */
export const INT32_MIN = -2147483648;
/** The largest Integer. */
export const INT32_MAX = 2147483647;

/** The zero value of a type (spec 3.1); `any` counts as Boolean (spec 3.2). */
export function zeroOf(type: ValueType): Value {
  return type === 'integer' ? 0 : type === 'string' ? '' : false;
}

/** The runtime type of a value. */
export function typeOf(value: Value): Exclude<ValueType, 'any'> {
  return typeof value === 'number' ? 'integer' : typeof value === 'string' ? 'string' : 'boolean';
}

const integerText = /^[+-]?[0-9]+$/;

/** String -> Integer (spec 3.7): base 10 with an optional sign, 32-bit; undefined when invalid or out of range. */
export function parseInteger(text: string): number | undefined {
  if (!integerText.test(text)) return undefined;
  const parsed = Number(text);
  return parsed < INT32_MIN || parsed > INT32_MAX ? undefined : parsed === 0 ? 0 : parsed;
}

/** String -> Boolean (spec 3.7): "true"/"false" in any case; undefined otherwise. */
export function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

/** Cast to Integer; a String that is not a 32-bit integer gives 0 and a CastError. */
export function toInteger(value: Value, context: EvaluationContext, position: number): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const parsed = parseInteger(value);
  if (parsed !== undefined) return parsed;
  raise(context, 'cast', `cannot cast ${JSON.stringify(value)} to Integer`, position);
  return 0;
}

/** Cast to Boolean; a String other than "true"/"false" (any case) gives false and a CastError. */
export function toBoolean(value: Value, context: EvaluationContext, position: number): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const parsed = parseBoolean(value);
  if (parsed !== undefined) return parsed;
  raise(context, 'cast', `cannot cast ${JSON.stringify(value)} to Boolean`, position);
  return false;
}

/** Cast to String: never fails (Integer in base 10, Boolean as "true"/"false"). */
export function toText(value: Value): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : value ? 'true' : 'false';
}

/** Cast to a type; `any` keeps the value. */
export function castTo(type: ValueType, value: Value, context: EvaluationContext, position: number): Value {
  switch (type) {
    case 'integer':
      return toInteger(value, context, position);
    case 'boolean':
      return toBoolean(value, context, position);
    case 'string':
      return toText(value);
    default:
      return value;
  }
}

/**
 * An Integer result that must fit 32 bits: out of range gives the nearest bound and a MathError
 * (as the spec prescribes for ABS(-2147483648)). Also turns -0 into 0.
 */
export function checkedInteger(result: number, context: EvaluationContext, position: number, operation: string): number {
  if (result > INT32_MAX) {
    raise(context, 'math', `${operation} overflows the 32-bit Integer range`, position);
    return INT32_MAX;
  }
  if (result < INT32_MIN) {
    raise(context, 'math', `${operation} overflows the 32-bit Integer range`, position);
    return INT32_MIN;
  }
  return result === 0 ? 0 : result;
}
