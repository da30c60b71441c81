import { describe } from 'vitest';
import { cases } from './table.js';

// Spec 3.5.1. Arguments are cast to the parameter types; characters are Unicode characters.
describe('3.5.1 LENGTH', () => {
  cases([
    { expression: "LENGTH('abc')", value: 3 },
    { expression: "LENGTH('')", value: 0 },
    { expression: "LENGTH('2')", value: 1 },
    { expression: 'LENGTH(TRUE)', value: 4 },
    { expression: 'LENGTH(-123)', value: 4 },
    { expression: "LENGTH('héllo')", value: 5 },
    { expression: "LENGTH('🎉🎉')", value: 2 },
    { expression: 'LENGTH(id)', value: 4 },
  ]);
});

describe('3.5.1 CONCAT and CONCAT_WS', () => {
  cases([
    { expression: "CONCAT('a', 'b', 'c')", value: 'abc' },
    { expression: 'CONCAT()', value: '' },
    { expression: "CONCAT('a')", value: 'a' },
    { expression: "CONCAT('n', 1, TRUE)", value: 'n1true' },
    { expression: "CONCAT(id, '-', seq)", value: 'myId-7', event: { seq: 7 } },
    { expression: "CONCAT_WS(',', 'a', 'b', 'c')", value: 'a,b,c' },
    { expression: "CONCAT_WS(',')", value: '' },
    { expression: "CONCAT_WS(',', 'a')", value: 'a' },
    { expression: "CONCAT_WS('', 'a', 'b')", value: 'ab' },
    { expression: 'CONCAT_WS(0, 1, 2)', value: '102' },
    { expression: 'CONCAT_WS()', value: false, errors: ['missingFunction'] },
  ]);
});

describe('3.5.1 LOWER, UPPER, TRIM', () => {
  cases([
    { expression: "LOWER('ABC')", value: 'abc' },
    { expression: "LOWER('AbC')", value: 'abc' },
    { expression: "LOWER('abc')", value: 'abc' },
    { expression: 'LOWER(TRUE)', value: 'true' },
    { expression: "LOWER('ÄÖÜ')", value: 'äöü' },
    { expression: "UPPER('ABC')", value: 'ABC' },
    { expression: "UPPER('AbC')", value: 'ABC' },
    { expression: "UPPER('abc')", value: 'ABC' },
    { expression: "UPPER('straße')", value: 'STRASSE' },
    { expression: "TRIM('   a b c   ')", value: 'a b c' },
    { expression: "TRIM('   a b c')", value: 'a b c' },
    { expression: "TRIM('a b c   ')", value: 'a b c' },
    { expression: "TRIM('a b c')", value: 'a b c' },
    { expression: "TRIM('\t\r\n x \n')", value: 'x' },
    { expression: "TRIM('\u00a0\u2003x\u3000')", value: 'x' },
    { expression: "TRIM('\u0085x\u0085')", value: 'x' },
    // Not Unicode whitespace: control characters and U+FEFF stay.
    { expression: "TRIM('\u0000x\u0001')", value: '\u0000x\u0001' },
    { expression: "TRIM('\ufeffx')", value: '\ufeffx' },
    { expression: 'TRIM(5)', value: '5' },
  ]);
});

describe('3.5.1 LEFT and RIGHT', () => {
  cases([
    { expression: "LEFT('abc', 2)", value: 'ab' },
    { expression: "LEFT('abc', 10)", value: 'abc' },
    { expression: "LEFT('abc', 3)", value: 'abc' },
    { expression: "LEFT('abc', 0)", value: '' },
    { expression: "LEFT('', 0)", value: '' },
    { expression: "LEFT('abc', '2')", value: 'ab' },
    { expression: "LEFT('🎉ab', 1)", value: '🎉' },
    { expression: "LEFT('abc', -2)", value: 'abc', errors: ['functionEvaluation'] },
    { expression: "LEFT('abc', 'x')", value: '', errors: ['cast'] },
    { expression: "RIGHT('abc', 2)", value: 'bc' },
    { expression: "RIGHT('abc', 10)", value: 'abc' },
    { expression: "RIGHT('abc', 0)", value: '' },
    { expression: "RIGHT('', 0)", value: '' },
    { expression: "RIGHT('ab🎉', 1)", value: '🎉' },
    { expression: "RIGHT('abc', -2)", value: 'abc', errors: ['functionEvaluation'] },
    { expression: 'RIGHT(12345, 2)', value: '45' },
  ]);
});

describe('3.5.1 SUBSTRING with 2 and 3 arguments', () => {
  cases([
    { expression: "SUBSTRING('abcdef', 1)", value: 'abcdef' },
    { expression: "SUBSTRING('abcdef', 2)", value: 'bcdef' },
    { expression: "SUBSTRING('abcdef', 6)", value: 'f' },
    { expression: "SUBSTRING('Quadratically', 5)", value: 'ratically' },
    { expression: "SUBSTRING('Sakila', -3)", value: 'ila' },
    { expression: "SUBSTRING('Sakila', -6)", value: 'Sakila' },
    { expression: "SUBSTRING('Quadratically', 0)", value: '' },
    { expression: "SUBSTRING('abcdef', 7)", value: '', errors: ['functionEvaluation'] },
    { expression: "SUBSTRING('abcdef', 10)", value: '', errors: ['functionEvaluation'] },
    { expression: "SUBSTRING('abcdef', -7)", value: '', errors: ['functionEvaluation'] },
    { expression: "SUBSTRING('abcdef', -10)", value: '', errors: ['functionEvaluation'] },
    { expression: "SUBSTRING('', 1)", value: '', errors: ['functionEvaluation'] },
    { expression: "SUBSTRING('a🎉c', 2)", value: '🎉c' },
    { expression: "SUBSTRING('abcdef', 1, 6)", value: 'abcdef' },
    { expression: "SUBSTRING('abcdef', 2, 4)", value: 'bcde' },
    { expression: "SUBSTRING('Sakila', -5, 3)", value: 'aki' },
    { expression: "SUBSTRING('Quadratically', 0, 1)", value: '' },
    { expression: "SUBSTRING('abcdef', 3, 100)", value: 'cdef' },
    { expression: "SUBSTRING('abcdef', 3, 0)", value: '' },
    { expression: "SUBSTRING('abcdef', 10, 10)", value: '', errors: ['functionEvaluation'] },
    { expression: "SUBSTRING('abcdef', -10, 10)", value: '', errors: ['functionEvaluation'] },
    { expression: "SUBSTRING('abcdef', 2, -1)", value: '', errors: ['functionEvaluation'] },
    { expression: "SUBSTRING('abcdef', '2', '3')", value: 'bcd' },
    { expression: 'SUBSTRING(123456, 2, 3)', value: '234' },
    { expression: "SUBSTRING('a🎉cd', 2, 2)", value: '🎉c' },
  ]);
});
