import { describe } from 'vitest';
import { cases, parseErrors } from './table.js';

// Spec 2.2: integer (32-bit signed, optional sign), boolean (case-insensitive) and string literals.
describe('2.2 integer literals', () => {
  cases([
    { expression: '0', value: 0 },
    { expression: '1', value: 1 },
    { expression: '007', value: 7 },
    { expression: '+5', value: 5 },
    { expression: '-5', value: -5 },
    { expression: '-0', value: 0 },
    { expression: '2147483647', value: 2147483647 },
    { expression: '-2147483648', value: -2147483648 },
    { expression: '+2147483647', value: 2147483647 },
  ]);
  parseErrors([
    { expression: '2147483648', position: 1, message: /outside the 32-bit range/ },
    { expression: '-2147483649', position: 1, message: /outside the 32-bit range/ },
    { expression: '1 + 99999999999', position: 5, message: /99999999999 is outside/ },
    { expression: '+ 5', position: 1, message: /'\+' is not a unary operator/ },
    { expression: '1.5', position: 2, message: /unexpected character "\."/ },
  ]);
});

describe('2.2 boolean literals', () => {
  cases([
    { expression: 'TRUE', value: true },
    { expression: 'FALSE', value: false },
    { expression: 'true', value: true },
    { expression: 'false', value: false },
    { expression: 'tRuE', value: true },
    { expression: 'FaLsE', value: false },
  ]);
});

describe('2.2 string literals', () => {
  cases([
    { expression: "'abc'", value: 'abc' },
    { expression: '"abc"', value: 'abc' },
    { expression: "'aBc'", value: 'aBc' },
    { expression: "''", value: '' },
    { expression: '""', value: '' },
    { expression: `'a"b\\'c'`, value: `a"b'c` },
    { expression: `"a'b\\"c"`, value: `a'b"c` },
    // Only the delimiting quote is escaped; every other backslash is an ordinary character.
    { expression: `'ab\\c'`, value: 'ab\\c' },
    { expression: `'a\\"b'`, value: 'a\\"b' },
    { expression: `"a\\'b"`, value: "a\\'b" },
    { expression: "'line\nbreak'", value: 'line\nbreak' },
    { expression: "'🎉 ünïcode'", value: '🎉 ünïcode' },
  ]);
  parseErrors([
    { expression: "'abc", position: 1, message: /unterminated string literal/ },
    { expression: `"abc'`, position: 1, message: /unterminated string literal/ },
    { expression: "x = 'it\\'", position: 5, message: /unterminated string literal/ },
    // No doubled-quote escape in CESQL: two adjacent strings are two values.
    { expression: "'it''s'", position: 5, message: /unexpected string 's'/ },
  ]);
});
