import { describe, expect, it } from 'vitest';
import { compile, CesqlParseError } from '../../../broker/filters/cesql/index.js';
import { expectParseError, parseErrors } from './table.js';

// Spec 3.3 ParseError: thrown by compile, with the 1-based position of the problem.
describe('parse errors point at the offending character', () => {
  parseErrors([
    { expression: '', position: 1, message: /the expression is empty/ },
    { expression: '   ', position: 4, message: /the expression is empty/ },
    { expression: 'ABC(', position: 5, message: /ends where a value was expected/ },
    { expression: '(a != b', position: 8, message: /missing '\)' to close the '\(' at column 1/ },
    { expression: '(a != b))', position: 9, message: /unexpected '\)'/ },
    { expression: 'a b', position: 3, message: /unexpected 'b'/ },
    { expression: 'a = ', position: 5 },
    { expression: 'a == b', position: 4, message: /unexpected '='/ },
    { expression: 'a ! b', position: 3, message: /did you mean '!='/ },
    { expression: 'a && b', position: 3, message: /unexpected character "&"/ },
    { expression: 'AND', position: 1, message: /unexpected keyword AND/ },
    { expression: 'a AND OR b', position: 7, message: /unexpected keyword OR/ },
    { expression: 'NOT', position: 4 },
    { expression: "CONCAT('a',)", position: 12 },
    { expression: "CONCAT('a' 'b')", position: 12, message: /expected ',' or '\)'/ },
    { expression: 'abc1(2)', position: 1, message: /not a function name/ },
    { expression: 'MY_FN_2(1)', position: 1, message: /not a function name/ },
    { expression: '1 +', position: 4 },
    { expression: "type = 'x' AND", position: 15 },
    { expression: 'a = b;', position: 6, message: /unexpected character ";"/ },
    { expression: 'a.b = 1', position: 2 },
    { expression: "'🎉' = x )", position: 9 },
  ]);

  it('counts lines and columns in multi-line expressions', () => {
    const error = expectParseError({ expression: "type = 'a'\n  AND\n  source = ", position: 29 });
    expect(error.line).toBe(3);
    expect(error.column).toBe(12);
    expect(error.message).toBe('the expression ends where a value was expected at line 3, column 12');
  });

  it('is an Error with kind parse, and compile accepts whitespace of every kind between tokens', () => {
    expect(() => compile(')')).toThrow(CesqlParseError);
    expect(() => compile(')')).toThrow(Error);
    expect(() => compile('\tTRUE\r\nAND\nTRUE ')).not.toThrow();
  });

  it('refuses expressions nested deeper than 256 levels instead of exhausting the stack', () => {
    expect(() => compile(`${'('.repeat(200)}1${')'.repeat(200)}`)).not.toThrow();
    expectParseError({ expression: `${'('.repeat(5000)}1${')'.repeat(5000)}`, position: 257, message: /nests more than 256 levels/ });
    expect(() => compile('NOT '.repeat(10_000) + 'TRUE')).toThrow(/nests more than 256 levels/);
    expect(() => compile(Array(10_000).fill('a').join(' AND '))).toThrow(/nests more than 256 levels/);
  });
});
