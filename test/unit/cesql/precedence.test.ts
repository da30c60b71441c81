import { describe } from 'vitest';
import { cases } from './table.js';

// Spec 3.6: from tightest to loosest: function calls; NOT and unary -; LIKE; EXISTS; IN;
// * / %; + -; comparisons; AND OR XOR. Equal precedence is evaluated left to right.
describe('3.6 precedence of the binary operators', () => {
  cases([
    { expression: '4 * 2 + 4 / 2', value: 10 },
    { expression: '4 * (2 + 4) / 2', value: 12 },
    { expression: '2 + 3 * 4', value: 14 },
    { expression: '(2 + 3) * 4', value: 20 },
    { expression: '1 + 2 = 3', value: true },
    { expression: '3 = 1 + 2', value: true },
    { expression: '2 * 3 > 5', value: true },
    { expression: '1 < 2 AND 3 > 4', value: false },
    { expression: "'a' = 'a' OR 1 / 0 = 0", value: true },
  ]);
});

describe('3.6 left to right at equal precedence', () => {
  cases([
    { expression: '10 - 4 - 3', value: 3 },
    { expression: '1 - 2 + 3', value: 2 },
    { expression: '100 / 10 / 5', value: 2 },
    { expression: '2 * 3 % 4', value: 2 },
    { expression: '7 % 4 * 2', value: 6 },
    { expression: '3 > 2 > 1', value: false },
    { expression: '1 < 2 < 3', value: true },
    // AND, OR and XOR share one level: no SQL-style "AND before OR".
    { expression: 'TRUE OR FALSE AND FALSE', value: false },
    { expression: 'TRUE OR (FALSE AND FALSE)', value: true },
    { expression: 'FALSE AND FALSE OR TRUE', value: true },
    { expression: 'TRUE XOR TRUE AND FALSE', value: false },
    { expression: 'TRUE XOR TRUE OR TRUE', value: true },
    { expression: 'TRUE AND FALSE XOR TRUE', value: true },
  ]);
});

describe('3.6 unary operators bind tighter than LIKE, IN and every binary operator', () => {
  cases([
    { expression: 'NOT FALSE AND FALSE', value: false },
    { expression: 'NOT (FALSE AND FALSE)', value: true },
    { expression: 'NOT 2 = 1', value: false },
    { expression: 'NOT (2 = 1)', value: true },
    { expression: "NOT TRUE LIKE '%e'", value: true },
    { expression: "NOT (TRUE LIKE '%e')", value: false },
    { expression: "-seq LIKE '-%'", value: true, event: { seq: 5 } },
    { expression: '-seq IN (-5)', value: true, event: { seq: 5 } },
    { expression: "-LENGTH('ab')", value: -2 },
    { expression: "NOT LENGTH('') = 1", value: true },
  ]);
});

describe('3.6 LIKE, EXISTS and IN bind tighter than the binary operators', () => {
  cases([
    { expression: "1 + 1 LIKE '1'", value: 2 },
    { expression: "(1 + 1) LIKE '2'", value: true },
    { expression: "'a' LIKE 'a' = TRUE", value: true },
    { expression: '1 + 1 IN (1)', value: 2 },
    { expression: '(1 + 1) IN (1)', value: false },
    { expression: '1 + 1 NOT IN (1)', value: 1 },
    { expression: 'EXISTS subject = FALSE', value: true },
    { expression: 'NOT EXISTS subject', value: true },
    { expression: "'ab' LIKE 'a%' IN (TRUE)", value: true },
    { expression: "LENGTH('abc') * 2", value: 6 },
  ]);
});
