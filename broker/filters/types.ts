import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { FieldProblem } from '../../core/errors.js';

/** A compiled filter: true when the event passes. Pure and synchronous, so routing can call it millions of times. */
export type Predicate = (event: CloudEvent) => boolean;

/** A field problem that may carry its own error code (an unsupported dialect rather than a malformed one). */
export type FilterProblem = FieldProblem;

/**
 * One constraint the routing index can look up directly: the event's attribute equals `value`
 * (`exact`) or starts with it (`prefix`).
 */
export interface IndexKey {
  kind: 'exact' | 'prefix';
  attribute: string;
  value: string;
}

/** Index keys an event is sure to hit for some outcome of a filter; `exact`: hitting one also guarantees that outcome. */
export interface KeySet {
  keys: IndexKey[];
  exact: boolean;
}

/**
 * What the routing index may know about a filter: keys that every passing event hits, and keys that
 * every failing event hits (how `not` becomes indexable). Either may be unknown.
 */
export interface IndexCover {
  passing?: KeySet;
  failing?: KeySet;
}

/** What a dialect may call to handle nested expressions (all/any/not), so dialects never import the compiler. */
export interface ExpressionCompiler {
  /** Every problem of one expression object, with paths below `path`. */
  validate(expression: unknown, path: string): FilterProblem[];
  /** The predicate of one expression object that `validate` accepted. */
  compile(expression: unknown): Predicate;
  /** What the routing index may know about one accepted expression object. */
  cover(expression: unknown): IndexCover;
}

/**
 * One filter dialect of the CloudEvents Subscriptions API (`exact`, `prefix`, `any`, `cesql`, …),
 * registered by name. `value` is what the expression holds under the dialect's key.
 */
export interface FilterDialect {
  /** Every problem of `value`, each with a field path at or below `path`. */
  validate(value: unknown, path: string, nested: ExpressionCompiler): FilterProblem[];
  /** The predicate of a value that `validate` accepted. */
  compile(value: unknown, nested: ExpressionCompiler): Predicate;
  /** What the routing index may know about the dialect's outcome; omit when nothing (the trigger is scanned). */
  cover?(value: unknown, nested: ExpressionCompiler): IndexCover;
}

/** One top-level constraint of a trigger (all of them must pass), with what the index may know about it. */
export interface Conjunct {
  predicate: Predicate;
  cover: IndexCover;
}
