import { raise } from '../errors.js';
import type { FunctionDefinition } from './definition.js';

const surrogates = /[\uD800-\uDFFF]/;
/** Unicode White_Space (what TRIM removes): unlike String.prototype.trim, keeps U+FEFF and removes U+0085. */
const edgeWhitespace = /^\p{White_Space}+|\p{White_Space}+$/gu;

/** Characters are Unicode code points (spec 3.1); plain strings (no surrogates) skip the conversion. */
function charactersOf(text: string): string[] | string {
  return surrogates.test(text) ? Array.from(text) : text;
}

function slice(text: string, start: number, end?: number): string {
  const chars = charactersOf(text);
  return typeof chars === 'string' ? chars.slice(start, end) : chars.slice(start, end).join('');
}

/** Character length of a String. */
export function lengthOf(text: string): number {
  return charactersOf(text).length;
}

/** The start index (0-based) SUBSTRING uses for `pos`, or undefined when `pos` is out of range (spec 3.5.1). */
function substringStart(length: number, pos: number): number | undefined {
  if (pos > length || pos < -length) return undefined;
  return pos > 0 ? pos - 1 : length + pos;
}

const unary = (name: string, apply: (text: string) => string | number, returns: 'string' | 'integer'): FunctionDefinition => ({
  name,
  parameters: ['string'],
  returns,
  invoke: (args) => apply(args[0] as string),
});

/** The string built-ins of spec 3.5.1. */
export const stringFunctions: FunctionDefinition[] = [
  unary('LENGTH', lengthOf, 'integer'),
  unary('LOWER', (text) => text.toLowerCase(), 'string'),
  unary('UPPER', (text) => text.toUpperCase(), 'string'),
  unary('TRIM', (text) => text.replace(edgeWhitespace, ''), 'string'),
  { name: 'CONCAT', parameters: [], variadic: 'string', returns: 'string', invoke: (args) => args.join('') },
  { name: 'CONCAT_WS', parameters: ['string'], variadic: 'string', returns: 'string', invoke: (args) => args.slice(1).join(args[0] as string) },
  {
    name: 'LEFT',
    parameters: ['string', 'integer'],
    returns: 'string',
    invoke([text, count], context, position) {
      if ((count as number) < 0) {
        raise(context, 'functionEvaluation', `LEFT: the length must not be negative, got ${count}`, position);
        return text;
      }
      return slice(text as string, 0, count as number);
    },
  },
  {
    name: 'RIGHT',
    parameters: ['string', 'integer'],
    returns: 'string',
    invoke([text, count], context, position) {
      if ((count as number) < 0) {
        raise(context, 'functionEvaluation', `RIGHT: the length must not be negative, got ${count}`, position);
        return text;
      }
      const length = lengthOf(text as string);
      return (count as number) >= length ? text : slice(text as string, length - (count as number));
    },
  },
  {
    name: 'SUBSTRING',
    parameters: ['string', 'integer'],
    returns: 'string',
    invoke([text, pos], context, position) {
      if (pos === 0) return '';
      const start = substringStart(lengthOf(text as string), pos as number);
      if (start !== undefined) return slice(text as string, start);
      raise(context, 'functionEvaluation', `SUBSTRING: position ${pos} is outside the string`, position);
      return '';
    },
  },
  {
    name: 'SUBSTRING',
    parameters: ['string', 'integer', 'integer'],
    returns: 'string',
    invoke([text, pos, len], context, position) {
      if ((len as number) < 0) {
        raise(context, 'functionEvaluation', `SUBSTRING: the length must not be negative, got ${len}`, position);
        return '';
      }
      if (pos === 0) return '';
      const start = substringStart(lengthOf(text as string), pos as number);
      if (start !== undefined) return slice(text as string, start, start + (len as number));
      raise(context, 'functionEvaluation', `SUBSTRING: position ${pos} is outside the string`, position);
      return '';
    },
  },
];
