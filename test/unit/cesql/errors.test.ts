import { describe, expect, it } from 'vitest';
import { compile, evaluate, type CompiledExpression } from '../../../broker/filters/cesql/index.js';
import { cases } from './table.js';

// Spec 3.3: every operator and function returns a value together with its errors. An error in an
// operand makes the enclosing operators return their zero value; the operator that raised the error
// returns what the spec prescribes for it.
describe('3.3 each error kind, with the value returned', () => {
  cases([
    { expression: '1 / 0', value: 0, errors: ['math'] },
    { expression: "INT('x')", value: 0, errors: ['cast'] },
    { expression: 'nothere', value: false, errors: ['missingAttribute'] },
    { expression: 'UNKNOWN(1)', value: false, errors: ['missingFunction'] },
    { expression: "RIGHT('abc', -1)", value: 'abc', errors: ['functionEvaluation'] },
  ]);
});

describe('3.3 errors propagate as the zero value of each enclosing operator', () => {
  cases([
    { expression: '1 / 0 = 0', value: false, errors: ['math'] },
    { expression: '(1 / 0) + 5', value: 0, errors: ['math'] },
    { expression: "CONCAT('x', 1 / 0)", value: '', errors: ['math'] },
    { expression: "LEFT('abc', -1) = 'abc'", value: false, errors: ['functionEvaluation'] },
    { expression: 'NOT (1 / 0 = 0)', value: false, errors: ['math'] },
    { expression: "UPPER(INT('x'))", value: '', errors: ['cast'] },
    { expression: "(1 / 0) IN (0)", value: false, errors: ['math'] },
    // Evaluation stops at the first error: later operands are not evaluated.
    { expression: 'missing + (1 / 0)', value: 0, errors: ['missingAttribute'] },
    { expression: "(1 / 0) + INT('x')", value: 0, errors: ['math'] },
    // An operator's own failed casts all count, and the operator computes with the cast results.
    { expression: "'a' + 'b'", value: 0, errors: ['cast', 'cast'] },
    { expression: "'a' + 2", value: 2, errors: ['cast'] },
  ]);

  it('gives each error a message and the position of what raised it', () => {
    const { errors } = evaluate(compile('TRUE AND  myext = 1'), { specversion: '1.0', id: '1', source: '/s', type: 't' });
    expect(errors).toEqual([{ kind: 'missingAttribute', message: 'the event has no attribute "myext"', position: 11 }]);
    expect(evaluate(compile('2 + 10 / 0'), {}).errors).toEqual([{ kind: 'math', message: 'division by zero', position: 8 }]);
  });
});

describe('evaluate never throws', () => {
  it('answers an object that is not a compiled expression with an error', () => {
    const result = evaluate({ source: 'x', missingFunctions: [] } as CompiledExpression, {});
    expect(result.value).toBe(false);
    expect(result.errors).toHaveLength(1);
  });

  it('answers an event whose attributes throw when read with an error', () => {
    const event = Object.defineProperty({}, 'boom', { get: () => { throw new Error('nope'); }, enumerable: true });
    const result = evaluate(compile("boom = 'x'"), event);
    expect(result.value).toBe(false);
    expect(result.errors[0]).toMatchObject({ kind: 'missingAttribute', message: expect.stringContaining('nope') });
  });

  it('handles cyclic and exotic attribute values as Strings', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(evaluate(compile('EXISTS c AND LENGTH(c) > 0'), { c: cyclic })).toEqual({ value: true, errors: [] });
    expect(evaluate(compile("n = '10'"), { n: 10n })).toEqual({ value: true, errors: [] });
  });
});
