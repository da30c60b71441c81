import { raise } from '../errors.js';
import { INT32_MAX, INT32_MIN, parseBoolean, parseInteger, toBoolean, toInteger, toText } from '../values.js';
import type { FunctionDefinition } from './definition.js';

/** ABS (spec 3.5.2) and the casting functions INT, BOOL, STRING, IS_BOOL, IS_INT. */
export const valueFunctions: FunctionDefinition[] = [
  {
    name: 'ABS',
    parameters: ['integer'],
    returns: 'integer',
    invoke([x], context, position) {
      if (x === INT32_MIN) {
        raise(context, 'math', 'ABS(-2147483648) overflows the 32-bit Integer range', position);
        return INT32_MAX;
      }
      return Math.abs(x as number);
    },
  },
  // The casts take any type and apply the casting rules of spec 3.7 (a failed cast is a CastError).
  { name: 'INT', parameters: ['any'], returns: 'integer', invoke: ([x], context, position) => toInteger(x, context, position) },
  { name: 'BOOL', parameters: ['any'], returns: 'boolean', invoke: ([x], context, position) => toBoolean(x, context, position) },
  { name: 'STRING', parameters: ['any'], returns: 'string', invoke: ([x]) => toText(x) },
  // Whether a String could be cast, without raising anything.
  { name: 'IS_BOOL', parameters: ['string'], returns: 'boolean', invoke: ([x]) => parseBoolean(x as string) !== undefined },
  { name: 'IS_INT', parameters: ['string'], returns: 'boolean', invoke: ([x]) => parseInteger(x as string) !== undefined },
];
