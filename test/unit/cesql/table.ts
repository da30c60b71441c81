import { expect, it } from 'vitest';
import { compile, evaluate, CesqlParseError, type CesqlErrorKind } from '../../../broker/filters/cesql/index.js';

/** A valid CloudEvent as the JSON format holds it (context attributes and extensions by name). */
export const baseEvent: Record<string, unknown> = {
  specversion: '1.0',
  id: 'myId',
  source: 'https://example.com/source',
  type: 'com.example.order.created',
  time: '2018-04-26T14:48:09+02:00',
  datacontenttype: 'application/json',
  data: { total: 12 },
};

/** One evaluation case: the expression, the value it must give, the kinds of error it must raise (in order). */
export interface Case {
  expression: string;
  value: boolean | number | string;
  errors?: CesqlErrorKind[];
  /** Attributes added to (or, with undefined, removed from) baseEvent. */
  event?: Record<string, unknown>;
}

/** Compiles and evaluates against baseEvent plus overrides; returns the value and the error kinds. */
export function run(expression: string, overrides: Record<string, unknown> = {}): { value: unknown; errors: CesqlErrorKind[] } {
  const event: Record<string, unknown> = { ...baseEvent, ...overrides };
  for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete event[name];
  const result = evaluate(compile(expression), event);
  return { value: result.value, errors: result.errors.map((error) => error.kind) };
}

/** One `it` per case. */
export function cases(rows: Case[]): void {
  it.each(rows)('$expression', ({ expression, value, errors, event }) => {
    expect(run(expression, event)).toEqual({ value, errors: errors ?? [] });
  });
}

/** One parse error case: the expression must not compile; `position` is 1-based. */
export interface ParseCase {
  expression: string;
  position: number;
  message?: string | RegExp;
}

/** Asserts the expression throws CesqlParseError at `position`, naming the column in its message. */
export function expectParseError({ expression, position, message }: ParseCase): CesqlParseError {
  let caught: unknown;
  try {
    compile(expression);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CesqlParseError);
  const error = caught as CesqlParseError;
  expect(error.kind).toBe('parse');
  expect(error.position).toBe(position);
  if (!expression.includes('\n')) expect(error.message).toMatch(new RegExp(`at column ${position}$`));
  if (message) expect(error.message).toMatch(message);
  return error;
}

/** One `it` per parse error case. */
export function parseErrors(rows: ParseCase[]): void {
  it.each(rows)('$expression', (row) => {
    expectParseError(row);
  });
}
