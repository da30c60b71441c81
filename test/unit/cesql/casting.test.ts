import { describe } from 'vitest';
import { cases } from './table.js';

// Spec 3.7: the cast table, and the implicit casting rules.
describe('3.7 casts between the primitive types (through the casting functions)', () => {
  cases([
    // Integer -> String: base 10, no leading zeros, '-' when negative.
    { expression: 'STRING(0)', value: '0' },
    { expression: 'STRING(-2147483648)', value: '-2147483648' },
    // Integer -> Boolean: false only for 0.
    { expression: 'BOOL(0)', value: false },
    { expression: 'BOOL(-1)', value: true },
    // String -> Integer: optional sign, 32 bits; otherwise 0 and a CastError.
    { expression: "INT('+2147483647')", value: 2147483647 },
    { expression: "INT('-0')", value: 0 },
    { expression: "INT('--1')", value: 0, errors: ['cast'] },
    { expression: "INT('0x10')", value: 0, errors: ['cast'] },
    { expression: "INT('1e3')", value: 0, errors: ['cast'] },
    // String -> Boolean: exactly "true"/"false" in lower case after lowering; otherwise false and a CastError.
    { expression: "BOOL('False')", value: false },
    { expression: "BOOL(' true')", value: false, errors: ['cast'] },
    // Boolean -> Integer and -> String.
    { expression: 'INT(TRUE) + INT(FALSE)', value: 1 },
    { expression: "STRING(TRUE) = 'true'", value: true },
  ]);
});

describe('3.7 the spec examples of Boolean -> String with case-insensitive keywords', () => {
  cases([
    { expression: 'TRUE = "true" AND FALSE = "false"', value: true },
    { expression: 'TRUE = "TRUE" OR FALSE = "FALSE"', value: false },
  ]);
});

describe('3.7 implicit casts: non-ambiguous operators cast every operand to their parameter type', () => {
  cases([
    { expression: "'3' * '4'", value: 12 },
    { expression: "'3' < 4", value: true },
    { expression: "NOT 'false'", value: true },
    { expression: "'true' AND 'TRUE'", value: true },
    { expression: "LENGTH(12) + '1'", value: 3 },
  ]);
});

describe('3.7 implicit casts: = != <> cast the left operand to the type of the right one', () => {
  cases([
    { expression: 'sequence = 10', value: true, event: { sequence: '10' } },
    { expression: 'sequence = 10', value: true, event: { sequence: 10 } },
    { expression: "sequence = '10'", value: true, event: { sequence: 10 } },
    { expression: "sequence = '010'", value: false, event: { sequence: 10 } },
    { expression: "10 = '010'", value: false },
    { expression: "'010' = 10", value: true },
    { expression: "true = 'TRUE'", value: false },
    { expression: "'TRUE' = true", value: true },
    { expression: '1 = TRUE', value: true },
    { expression: '2 = TRUE', value: true },
    { expression: 'TRUE = 2', value: false },
    { expression: "'hello' = 1", value: false, errors: ['cast'] },
    { expression: "'hello' != 1", value: true, errors: ['cast'] },
    { expression: "'hello' = TRUE", value: false, errors: ['cast'] },
    { expression: 'flag = TRUE', value: true, event: { flag: 'true' } },
    { expression: 'flag = TRUE', value: true, event: { flag: true } },
    { expression: 'hop = ttl', value: false, event: { hop: 5, ttl: '05' } },
    { expression: 'ttl = hop', value: true, event: { hop: 5, ttl: '05' } },
  ]);
});

describe('3.7 the spec example MY_STRING_PREDICATE(sequence + 10): Integer arithmetic, then String', () => {
  cases([
    { expression: "CONCAT(sequence + 10) = '15'", value: true, event: { sequence: '5' } },
    { expression: 'LENGTH(sequence + 10)', value: 2, event: { sequence: '5' } },
  ]);
});

// Spec 3.3 / 3.7: an operand of the wrong type is cast; a cast that cannot succeed yields the zero
// value of the target type together with a CastError, and the operator computes its own result
// from that value (its errors and the CastError travel together). One row per operator.
describe('3.7 a failed implicit cast: the zero value of the target type, a CastError, and the operator goes on', () => {
  cases([
    { expression: "NOT 'abc'", value: true, errors: ['cast'] },
    { expression: 'NOT s', value: true, errors: ['cast'], event: { s: 'abc' } },
    { expression: "-'abc'", value: 0, errors: ['cast'] },
    { expression: "'abc' + 1", value: 1, errors: ['cast'] },
    { expression: "2 * 'abc'", value: 0, errors: ['cast'] },
    { expression: "'a' - 'b'", value: 0, errors: ['cast', 'cast'] },
    { expression: "'x' / 0", value: 0, errors: ['cast', 'math'] },
    { expression: "7 % 'x'", value: 0, errors: ['cast', 'math'] },
    { expression: "'abc' < 4", value: true, errors: ['cast'] },
    { expression: "'abc' >= 1", value: false, errors: ['cast'] },
    { expression: "'abc' = 0", value: true, errors: ['cast'] },
    { expression: "'abc' <> FALSE", value: false, errors: ['cast'] },
    { expression: "'abc' AND TRUE", value: false, errors: ['cast'] },
    { expression: "TRUE AND 'abc'", value: false, errors: ['cast'] },
    { expression: "'abc' OR TRUE", value: true, errors: ['cast'] },
    { expression: "FALSE OR 'abc'", value: false, errors: ['cast'] },
    { expression: "'abc' XOR TRUE", value: true, errors: ['cast'] },
    { expression: "0 IN ('abc')", value: true, errors: ['cast'] },
    { expression: "n NOT IN ('abc', 6)", value: true, errors: ['cast'], event: { n: 5 } },
    { expression: "TRUE IN ('x', TRUE)", value: true, errors: ['cast'] },
    { expression: "ABS('abc')", value: 0, errors: ['cast'] },
    { expression: "LEFT('abc', 'x')", value: '', errors: ['cast'] },
    { expression: "SUBSTRING('abc', 'x')", value: '', errors: ['cast'] },
    // Casts to String never fail: LIKE and the String functions read any value.
    { expression: "n LIKE '1%'", value: true, event: { n: 10 } },
    { expression: "TRUE LIKE 'tr_e'", value: true },
    { expression: 'LENGTH(TRUE)', value: 4 },
    // Integer <-> Boolean always succeeds (3.7): no error.
    { expression: '10 AND TRUE', value: true },
    { expression: '0 OR FALSE', value: false },
    { expression: '10 XOR 0', value: true },
    { expression: '-TRUE', value: -1 },
  ]);
});
