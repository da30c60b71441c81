import { describe } from 'vitest';
import { cases } from './table.js';

describe('3.5.2 ABS', () => {
  cases([
    { expression: 'ABS(10)', value: 10 },
    { expression: 'ABS(-10)', value: 10 },
    { expression: 'ABS(0)', value: 0 },
    { expression: 'ABS(2147483647)', value: 2147483647 },
    { expression: 'ABS(-2147483647)', value: 2147483647 },
    { expression: 'ABS(-2147483648)', value: 2147483647, errors: ['math'] },
    { expression: "ABS('-7')", value: 7 },
    { expression: 'ABS(TRUE)', value: 1 },
    { expression: "ABS('x')", value: 0, errors: ['cast'] },
    { expression: 'ABS(missing)', value: 0, errors: ['missingAttribute'] },
  ]);
});

// The casting functions apply the casts of spec 3.7 to an argument of any type.
describe('casting functions INT, BOOL, STRING', () => {
  cases([
    { expression: "INT('1')", value: 1 },
    { expression: "INT('-1')", value: -1 },
    { expression: "INT('+1')", value: 1 },
    { expression: 'INT(1)', value: 1 },
    { expression: 'INT(-1)', value: -1 },
    { expression: 'INT(TRUE)', value: 1 },
    { expression: 'INT(FALSE)', value: 0 },
    { expression: "INT('ABC')", value: 0, errors: ['cast'] },
    { expression: "INT('1.5')", value: 0, errors: ['cast'] },
    { expression: "INT(' 1')", value: 0, errors: ['cast'] },
    { expression: "INT('')", value: 0, errors: ['cast'] },
    { expression: "INT('2147483648')", value: 0, errors: ['cast'] },
    { expression: "INT('-2147483648')", value: -2147483648 },
    { expression: "BOOL('TRUE')", value: true },
    { expression: 'BOOL("false")', value: false },
    { expression: "BOOL('tRuE')", value: true },
    { expression: 'BOOL(TRUE)', value: true },
    { expression: 'BOOL(FALSE)', value: false },
    { expression: "BOOL('ABC')", value: false, errors: ['cast'] },
    { expression: "BOOL('1')", value: false, errors: ['cast'] },
    { expression: 'BOOL(1)', value: true },
    { expression: 'BOOL(0)', value: false },
    { expression: 'BOOL(100)', value: true },
    { expression: 'BOOL(-50)', value: true },
    { expression: 'STRING(TRUE)', value: 'true' },
    { expression: 'STRING(FALSE)', value: 'false' },
    { expression: 'STRING(1)', value: '1' },
    { expression: 'STRING(-1)', value: '-1' },
    { expression: 'STRING(007)', value: '7' },
    { expression: 'STRING("abc")', value: 'abc' },
    { expression: 'INT(seq) + 1', value: 11, event: { seq: '10' } },
    { expression: 'STRING(seq)', value: '10', event: { seq: 10 } },
  ]);
});

describe('casting functions IS_BOOL, IS_INT (String -> Boolean, never an error)', () => {
  cases([
    { expression: "IS_BOOL('true')", value: true },
    { expression: "IS_BOOL('FALSE')", value: true },
    { expression: "IS_BOOL('yes')", value: false },
    { expression: 'IS_BOOL(TRUE)', value: true },
    { expression: 'IS_BOOL(1)', value: false },
    { expression: "IS_INT('123')", value: true },
    { expression: "IS_INT('-123')", value: true },
    { expression: "IS_INT('+0')", value: true },
    { expression: "IS_INT('12a')", value: false },
    { expression: "IS_INT('')", value: false },
    { expression: "IS_INT('2147483648')", value: false },
    { expression: 'IS_INT(42)', value: true },
    { expression: 'IS_INT(TRUE)', value: false },
    { expression: 'IS_INT(seq) AND INT(seq) > 5', value: true, event: { seq: '6' } },
    { expression: 'IS_INT(seq) AND INT(seq) > 5', value: false, event: { seq: 'six' } },
  ]);
});

// Spec 3.5: a call that cannot be dispatched is false with a MissingFunctionError (at evaluation).
describe('3.5 missing functions and arities', () => {
  cases([
    { expression: 'NOPE()', value: false, errors: ['missingFunction'] },
    { expression: "NOPE('a', 1)", value: false, errors: ['missingFunction'] },
    { expression: 'ABS()', value: false, errors: ['missingFunction'] },
    { expression: 'ABS(1, 2)', value: false, errors: ['missingFunction'] },
    { expression: "SUBSTRING('abc')", value: false, errors: ['missingFunction'] },
    { expression: "SUBSTRING('abc', 1, 2, 3)", value: false, errors: ['missingFunction'] },
    { expression: 'LENGTH()', value: false, errors: ['missingFunction'] },
    { expression: 'LENGTH(NOPE())', value: 0, errors: ['missingFunction'] },
    // Arguments of a missing function are not evaluated.
    { expression: 'NOPE(1 / 0)', value: false, errors: ['missingFunction'] },
    { expression: 'NOPE() OR TRUE', value: false, errors: ['missingFunction'] },
    { expression: 'TRUE OR NOPE()', value: true },
  ]);
});
