import { describe } from 'vitest';
import { cases } from './table.js';

// Spec 3.4.2, with the implicit casts of 3.7.
describe('3.4.2 = != <> on each type', () => {
  cases([
    { expression: 'TRUE = FALSE', value: false },
    { expression: 'FALSE = FALSE', value: true },
    { expression: '1 = 2', value: false },
    { expression: '2 = 2', value: true },
    { expression: "'abc' = '123'", value: false },
    { expression: "'abc' = 'abc'", value: true },
    { expression: "'abc' = 'ABC'", value: false },
    { expression: 'TRUE != FALSE', value: true },
    { expression: '2 != 2', value: false },
    { expression: "'abc' != 'abc'", value: false },
    { expression: 'TRUE <> FALSE', value: true },
    { expression: '1 <> 2', value: true },
    { expression: "'abc' <> 'abc'", value: false },
    { expression: 'missing = 2', value: false, errors: ['missingAttribute'] },
    { expression: 'missing != 2', value: false, errors: ['missingAttribute'] },
    { expression: 'missing <> 2', value: false, errors: ['missingAttribute'] },
    { expression: '2 = missing', value: false, errors: ['missingAttribute'] },
  ]);
});

describe('3.4.2 < <= > >= (Integer only)', () => {
  cases([
    { expression: '1 < 2', value: true },
    { expression: '2 < 2', value: false },
    { expression: '2 <= 2', value: true },
    { expression: '3 <= 2', value: false },
    { expression: '2 > 1', value: true },
    { expression: '2 > 2', value: false },
    { expression: '2 >= 2', value: true },
    { expression: '2 >= 3', value: false },
    { expression: '-2147483648 < 2147483647', value: true },
    // Strings are compared as Integers, not lexically.
    { expression: "'5' < '10'", value: true },
    { expression: 'hop < ttl', value: true, event: { hop: '5', ttl: '10' } },
    { expression: 'TRUE > FALSE', value: true },
    { expression: "'b' > 'a'", value: false, errors: ['cast', 'cast'] },
    { expression: 'missing <= 2', value: false, errors: ['missingAttribute'] },
  ]);
});

describe('3.4.2 + - * / % (32-bit Integer)', () => {
  cases([
    { expression: '4 + 1', value: 5 },
    { expression: '-4 + 1', value: -3 },
    { expression: '-4 + -1', value: -5 },
    { expression: '4 + -1', value: 3 },
    { expression: '4 - 1', value: 3 },
    { expression: '-4 - 1', value: -5 },
    { expression: '4-1', value: 3 },
    { expression: '4 -1', value: 3 },
    { expression: '3 * -4', value: -12 },
    { expression: '5 / 3', value: 1 },
    { expression: '-5 / 3', value: -1 },
    { expression: '5 / -3', value: -1 },
    { expression: '-5 / -3', value: 1 },
    { expression: '1 / 2', value: 0 },
    { expression: '-1 / 2', value: 0 },
    { expression: '5 % 2', value: 1 },
    { expression: '-5 % 3', value: -2 },
    { expression: '5 % -3', value: 2 },
    { expression: '-6 % 3', value: 0 },
    { expression: '5 / 0', value: 0, errors: ['math'] },
    { expression: '5 % 0', value: 0, errors: ['math'] },
    { expression: 'missing / 0', value: 0, errors: ['missingAttribute'] },
    { expression: 'missing % 0', value: 0, errors: ['missingAttribute'] },
    { expression: "'5' + 3", value: 8 },
    { expression: "5 + '3'", value: 8 },
    { expression: "'5' + '3'", value: 8 },
    { expression: '5 + TRUE', value: 6 },
    { expression: "'+5' - '-3'", value: 8 },
    { expression: "'five' + 3", value: 3, errors: ['cast'] },
    { expression: 'seq * 2', value: 20, event: { seq: 10 } },
    { expression: 'seq * 2', value: 20, event: { seq: '10' } },
  ]);
});

describe('3.1 the Integer range: results outside 32 bits are a MathError, clamped to the nearest bound', () => {
  cases([
    { expression: '2147483647 + 0', value: 2147483647 },
    { expression: '2147483647 + 1', value: 2147483647, errors: ['math'] },
    { expression: '-2147483648 - 1', value: -2147483648, errors: ['math'] },
    { expression: '65536 * 65536', value: 2147483647, errors: ['math'] },
    { expression: '65536 * -65536', value: -2147483648, errors: ['math'] },
    { expression: '46341 * 46340', value: 2147441940 },
    { expression: '-2147483648 / -1', value: 2147483647, errors: ['math'] },
    { expression: '-2147483648 / 1', value: -2147483648 },
    { expression: '-2147483648 % -1', value: 0 },
    { expression: "'2147483648' + 0", value: 0, errors: ['cast'] },
  ]);
});

describe('3.4.2 AND OR XOR', () => {
  cases([
    { expression: 'FALSE AND FALSE', value: false },
    { expression: 'FALSE AND TRUE', value: false },
    { expression: 'TRUE AND FALSE', value: false },
    { expression: 'TRUE AND TRUE', value: true },
    { expression: 'FALSE OR FALSE', value: false },
    { expression: 'FALSE OR TRUE', value: true },
    { expression: 'TRUE OR FALSE', value: true },
    { expression: 'TRUE OR TRUE', value: true },
    { expression: 'FALSE XOR FALSE', value: false },
    { expression: 'FALSE XOR TRUE', value: true },
    { expression: 'TRUE XOR FALSE', value: true },
    { expression: 'TRUE XOR TRUE', value: false },
    { expression: "'true' AND 1", value: true },
    { expression: "0 OR 'FALSE'", value: false },
    { expression: '5 XOR 0', value: true },
  ]);
});

describe('3.4.2 AND and OR are short-circuit evaluated', () => {
  cases([
    { expression: 'false AND (1 != 1 / 0)', value: false },
    { expression: 'true AND (1 != 1 / 0)', value: false, errors: ['math'] },
    { expression: 'true OR (1 != 1 / 0)', value: true },
    { expression: 'false OR (1 != 1 / 0)', value: false, errors: ['math'] },
    { expression: 'FALSE AND missing', value: false },
    { expression: 'TRUE OR missing', value: true },
    { expression: 'TRUE AND missing', value: false, errors: ['missingAttribute'] },
    { expression: 'FALSE OR missing', value: false, errors: ['missingAttribute'] },
    // XOR has no short circuit.
    { expression: 'TRUE XOR missing', value: false, errors: ['missingAttribute'] },
    { expression: 'FALSE AND NOPE()', value: false },
  ]);
});
