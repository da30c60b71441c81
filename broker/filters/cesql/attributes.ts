import type { Compiled } from './compiled.js';
import { raise, type EvaluationContext } from './errors.js';
import { INT32_MAX, INT32_MIN, type Value } from './values.js';

/** Attributes every valid CloudEvent has: `EXISTS` is true for them whatever the input (spec 3.4.4). */
const requiredAttributes = new Set(['specversion', 'id', 'source', 'type']);

function missing(context: EvaluationContext, name: string, position: number): false {
  raise(context, 'missingAttribute', `the event has no attribute "${name}"`, position);
  return false;
}

/**
 * The CESQL value of an attribute that is not a plain String (spec 3.2): a JSON boolean is a
 * Boolean, a JSON number that is a 32-bit integer an Integer, anything else its String form
 * (JSON text for objects and arrays, ISO 8601 for a Date, the URL for a URL object).
 * Absent (or null, or only inherited from Object.prototype): a MissingAttributeError.
 */
function readOther(context: EvaluationContext, name: string, value: unknown, position: number): Value {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? value + 0 : String(value);
  if (value === undefined || value === null || !Object.hasOwn(context.event, name)) return missing(context, name, position);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  const plain = typeof value === 'object' && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype);
  if (!plain) return String(value); // a URL, a bigint, …: their own text form
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** An attribute or extension of the event. `data` is the payload, never an attribute (spec 1). */
export function attribute(name: string, position: number): Compiled {
  if (name === 'data') return { evaluate: (context) => missing(context, name, position), type: 'any', reads: true };
  return {
    evaluate(context) {
      const value = context.event[name];
      return typeof value === 'string' ? value : readOther(context, name, value, position);
    },
    type: 'any',
    reads: true,
  };
}

/** `EXISTS name`. */
export function exists(name: string): Compiled {
  if (requiredAttributes.has(name)) return { evaluate: () => true, type: 'boolean', reads: false, constant: { value: true } };
  if (name === 'data') return { evaluate: () => false, type: 'boolean', reads: false, constant: { value: false } };
  return {
    evaluate(context) {
      const value = context.event[name];
      if (value === undefined || value === null) return false;
      return (typeof value !== 'object' && typeof value !== 'function') || Object.hasOwn(context.event, name);
    },
    type: 'boolean',
    reads: true,
  };
}
