import { describe, expect, it } from 'vitest';
import { compile, evaluate } from '../../../broker/filters/cesql/index.js';

const event = (overrides: Record<string, unknown> = {}) => ({ specversion: '1.0', id: '1', source: '/s', type: 'com.example.a', ...overrides });

// Spec 1: expressions never mutate their input; evaluation is referentially transparent.
describe('compiled expressions are reusable and side-effect free', () => {
  it('gives each event its own result, in any order, from one compiled expression', () => {
    const compiled = compile("type LIKE 'com.example.%' AND seq > 3");
    const results = [event({ seq: 5 }), event({ seq: 1 }), event({ type: 'org.x', seq: 9 }), event(), event({ seq: '4' })].map((e) => evaluate(compiled, e));
    expect(results.map((result) => result.value)).toEqual([true, false, false, false, true]);
    expect(results.map((result) => result.errors.map((error) => error.kind))).toEqual([[], [], [], ['missingAttribute'], []]);
    expect(evaluate(compiled, event({ seq: 5 }))).toEqual(results[0]);
  });

  it('hands out fresh error lists: changing one result never affects the next evaluation', () => {
    const compiled = compile("x IN ('a', 1)");
    const first = evaluate(compiled, { x: 1 });
    expect(first).toEqual({ value: true, errors: [expect.objectContaining({ kind: 'cast' })] });
    first.errors[0].message = 'changed';
    first.errors.push({ kind: 'math', message: 'added' });
    expect(evaluate(compiled, { x: 1 }).errors).toEqual([expect.objectContaining({ kind: 'cast', message: 'cannot cast "a" to Integer' })]);
  });

  it('never changes the event, and works on frozen events', () => {
    const input = Object.freeze(event({ seq: '7', nested: Object.freeze({ a: 1 }) }));
    const before = JSON.stringify(input);
    const compiled = compile("CONCAT(UPPER(type), seq + 1) = 'X' OR EXISTS nested OR seq IN (7)");
    expect(evaluate(compiled, input)).toEqual({ value: true, errors: [] });
    expect(JSON.stringify(input)).toBe(before);
  });

  it('keeps independent expressions independent when their evaluations interleave', () => {
    const failing = compile('1 / zero');
    const passing = compile('one = 1');
    expect(evaluate(failing, { zero: 0 }).errors.map((error) => error.kind)).toEqual(['math']);
    expect(evaluate(passing, { one: 1 })).toEqual({ value: true, errors: [] });
    expect(evaluate(failing, { zero: 2 })).toEqual({ value: 0, errors: [] });
  });

  it('is frozen, keeps its source and lists the calls no function answers', () => {
    const compiled = compile('FOO(1) OR LENGTH(type, 2) OR ABS(-1) = 1');
    expect(Object.isFrozen(compiled)).toBe(true);
    expect(compiled.source).toBe('FOO(1) OR LENGTH(type, 2) OR ABS(-1) = 1');
    expect(compiled.missingFunctions.map(({ name, arity, position }) => ({ name, arity, position }))).toEqual([
      { name: 'FOO', arity: 1, position: 1 },
      { name: 'LENGTH', arity: 2, position: 11 },
    ]);
    expect(compiled.missingFunctions[1].message).toBe('LENGTH takes 1 argument(s), not 2');
    expect(compile('ABS(1)').missingFunctions).toEqual([]);
  });
});
