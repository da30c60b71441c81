import { describe, expect, it } from 'vitest';
import { compile, evaluate } from '../../../broker/filters/cesql/index.js';
import { cases, parseErrors } from './table.js';

// Spec 3.4.3: % is any run of characters, _ exactly one, \% and \_ are literal; case sensitive.
describe('3.4.3 LIKE: exact characters', () => {
  cases([
    { expression: "'abc' LIKE 'abc'", value: true },
    { expression: "'abc' LIKE 'ABC'", value: false },
    { expression: "'abc' NOT LIKE 'abc'", value: false },
    { expression: "'ab\\c' LIKE 'ab\\c'", value: true },
    { expression: "'' LIKE ''", value: true },
    { expression: "'' LIKE 'abc'", value: false },
    { expression: "'ac' LIKE 'abc'", value: false },
    { expression: "'a.c' LIKE 'a.c'", value: true },
    { expression: "'abc' LIKE 'a.c'", value: false },
    { expression: "'a+b' LIKE 'a+b'", value: true },
    { expression: "'(x)' LIKE '(x)'", value: true },
  ]);
});

describe('3.4.3 LIKE: % and _', () => {
  cases([
    { expression: "'abc' LIKE 'a%b%c'", value: true },
    { expression: "'azbc' LIKE 'a%b%c'", value: true },
    { expression: "'azzzbzzzc' LIKE 'a%b%c'", value: true },
    { expression: "'a%b%c' LIKE 'a%b%c'", value: true },
    { expression: "'.ab.cde.' LIKE '.%.%.'", value: true },
    { expression: "'ab.cde' LIKE '.%.%.'", value: false },
    { expression: "'' LIKE '%'", value: true },
    { expression: "'anything' LIKE '%'", value: true },
    { expression: "'abc' LIKE '%%'", value: true },
    { expression: "'abcabc' LIKE '%bc'", value: true },
    { expression: "'abcab' LIKE 'ab%ab'", value: true },
    { expression: "'ab' LIKE 'ab%ab'", value: false },
    { expression: "'abc' LIKE 'a_b_c'", value: false },
    { expression: "'a_b_c' LIKE 'a_b_c'", value: true },
    { expression: "'abzc' LIKE 'a_b_c'", value: false },
    { expression: "'azbzc' LIKE 'a_b_c'", value: true },
    { expression: "'.a.b.' LIKE '._._.'", value: true },
    { expression: "'abcd.' LIKE '._._.'", value: false },
    // The example of spec 3.4.3: '_b*' (here with the wildcard %) accepts ab, abc, abcd1.
    { expression: "'ab' LIKE '_b%'", value: true },
    { expression: "'abc' LIKE '_b%'", value: true },
    { expression: "'abcd1' LIKE '_b%'", value: true },
    { expression: "'b' LIKE '_b%'", value: false },
    { expression: "'acd' LIKE '_b%'", value: false },
    { expression: "'aBc' LIKE '_b%'", value: false },
    { expression: "'a\nb' LIKE 'a_b'", value: true },
    { expression: "'a\nb' LIKE 'a%'", value: true },
    { expression: "'a🎉b' LIKE 'a_b'", value: true },
    { expression: "'a🎉b' LIKE 'a__b'", value: false },
    { expression: "'🎉' LIKE '_'", value: true },
  ]);
});

describe('3.4.3 LIKE: escaped wildcards', () => {
  cases([
    { expression: "'abc%' LIKE 'abc\\%'", value: true },
    { expression: "'abcd' LIKE 'abc\\%'", value: false },
    { expression: "'a_b_c' LIKE 'a\\_b\\_c'", value: true },
    { expression: "'a_b_c' NOT LIKE 'a\\_b\\_c'", value: false },
    { expression: "'azbzc' LIKE 'a\\_b\\_c'", value: false },
    { expression: "'a%b%c' LIKE 'a\\%b\\%c'", value: true },
    { expression: "'azbzc' LIKE 'a\\%b\\%c'", value: false },
    { expression: "'abc' LIKE 'a\\%b\\%c'", value: false },
    { expression: "myext LIKE 'abc%123\\%456\\_d_f'", value: true, event: { myext: 'abc123123%456_dzf' } },
    { expression: "myext NOT LIKE 'abc%123\\%456\\_d_f'", value: false, event: { myext: 'abc123123%456_dzf' } },
    // A backslash before anything else is itself.
    { expression: "'a\\b' LIKE 'a\\b'", value: true },
    { expression: "'a\\xyz' LIKE 'a\\%'", value: false },
  ]);
});

describe('3.4.3 LIKE casts its left operand to String', () => {
  cases([
    { expression: "234 LIKE '23_'", value: true },
    { expression: "2344 LIKE '23%'", value: true },
    { expression: "2344 LIKE '23_'", value: false },
    { expression: "-5 LIKE '-%'", value: true },
    { expression: "TRUE LIKE 'tr%'", value: true },
    { expression: "TRUE LIKE '%ue'", value: true },
    { expression: "FALSE LIKE 'tr%'", value: false },
    { expression: "FALSE LIKE 'fal%'", value: true },
    { expression: "seq LIKE '1_'", value: true, event: { seq: 10 } },
    { expression: "myext LIKE 'custom%'", value: false, errors: ['missingAttribute'] },
    { expression: "myext NOT LIKE 'custom%'", value: false, errors: ['missingAttribute'] },
  ]);
});

describe('3.4.3 the pattern must be a string literal', () => {
  parseErrors([
    { expression: "type LIKE 1", position: 11, message: /LIKE needs a string literal pattern/ },
    { expression: 'type LIKE source', position: 11, message: /LIKE needs a string literal pattern, found 'source'/ },
    { expression: "type LIKE ('a%')", position: 11 },
    { expression: "type LIKE LOWER('A%')", position: 11 },
    { expression: 'type LIKE', position: 10, message: /found the end of the expression/ },
    { expression: "type NOT 'a'", position: 10, message: /expected LIKE or IN after NOT/ },
  ]);

  it('matches long values against many wildcards without blowing up (no backtracking explosion)', () => {
    const compiled = compile(`x LIKE '${'%a'.repeat(30)}%b'`);
    expect(evaluate(compiled, { x: 'a'.repeat(20_000) })).toEqual({ value: false, errors: [] });
    expect(evaluate(compiled, { x: `${'a'.repeat(20_000)}b` })).toEqual({ value: true, errors: [] });
  });
});
