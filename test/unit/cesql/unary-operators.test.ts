import { describe } from 'vitest';
import { cases } from './table.js';

// Spec 3.4.1: NOT x: Boolean -> Boolean, -x: Integer -> Integer, with the casts of 3.7.
describe('3.4.1 NOT', () => {
  cases([
    { expression: 'NOT TRUE', value: false },
    { expression: 'NOT FALSE', value: true },
    { expression: 'NOT NOT TRUE', value: true },
    { expression: "NOT 'TRUE'", value: false },
    { expression: "NOT 'false'", value: true },
    // Integer -> Boolean is a cast the spec's table (3.7) makes a MUST: false for 0, true
    // otherwise, with no error. So NOT 10 is NOT TRUE. (The TCK's not_operator.yaml still expects
    // true with a CastError, from before Integer -> Boolean was defined; its casting_functions.yaml
    // expects BOOL(100) to be true, as here.)
    { expression: 'NOT 10', value: false },
    { expression: 'NOT -1', value: false },
    { expression: 'NOT 0', value: true },
    { expression: 'NOT n', value: false, event: { n: 10 } },
    { expression: 'NOT mybool', value: true, event: { mybool: false } },
    { expression: 'NOT flag', value: false, event: { flag: 'true' } },
    // A failed cast gives false (CastError), which NOT negates.
    { expression: "NOT 'abc'", value: true, errors: ['cast'] },
    { expression: 'NOT missing', value: false, errors: ['missingAttribute'] },
  ]);
});

describe('3.4.1 unary minus', () => {
  cases([
    { expression: '-10', value: -10 },
    { expression: '--10', value: 10 },
    { expression: '- 10', value: -10 },
    { expression: '-(3)', value: -3 },
    { expression: "-'10'", value: -10 },
    { expression: "--'10'", value: 10 },
    { expression: '-TRUE', value: -1 },
    { expression: '-FALSE', value: 0 },
    { expression: '-seq', value: -7, event: { seq: 7 } },
    { expression: '-seq', value: -7, event: { seq: '7' } },
    { expression: "-'abc'", value: 0, errors: ['cast'] },
    { expression: '-missing', value: 0, errors: ['missingAttribute'] },
    // -(-2147483648) does not fit 32 bits: clamped, with a MathError.
    { expression: '-(-2147483648)', value: 2147483647, errors: ['math'] },
    { expression: '-seq', value: 2147483647, errors: ['math'], event: { seq: -2147483648 } },
  ]);
});
