import type { Compiled } from './compiled.js';
import type { CesqlError, EvaluationContext } from './errors.js';
import { compileLike } from './like.js';
import { equals } from './value-operators.js';
import { castTo, toText, typeOf, type Evaluator, type Value } from './values.js';

/** `x [NOT] LIKE 'pattern'`: x is cast to String; the pattern is compiled once, here. */
export function likeOperator(operand: Compiled, pattern: string, negated: boolean): Evaluator {
  const x = operand.evaluate;
  const matches = compileLike(pattern);
  return (context) => {
    const a = x(context);
    if (context.errors !== null) return false;
    return matches(typeof a === 'string' ? a : toText(a)) !== negated;
  };
}

/** The literal set cast to one target type: its members and the CastErrors the casts raise. */
interface CastSet {
  members: Set<Value>;
  errors: CesqlError[];
}

function castSet(values: Value[], type: 'boolean' | 'integer' | 'string', position: number): CastSet {
  const context: EvaluationContext = { event: {}, errors: null };
  const members = new Set(values.map((value) => castTo(type, value, context, position)));
  return { members, errors: context.errors ?? [] };
}

/**
 * `x [NOT] IN (y1, y2, …)` (spec 3.4.5): each element is cast to the type of x and compared as
 * by `=`. Every element is evaluated (IN does not short-circuit). A set of literals is cast ahead
 * of time for each possible type of x, so evaluation is one Set lookup.
 */
export function inOperator(operand: Compiled, set: Compiled[], negated: boolean, position: number): Evaluator {
  const x = operand.evaluate;
  if (set.every((element) => element.constant)) {
    const values = set.map((element) => element.constant!.value);
    const byType = {
      boolean: castSet(values, 'boolean', position),
      integer: castSet(values, 'integer', position),
      string: castSet(values, 'string', position),
    };
    return (context) => {
      const a = x(context);
      if (context.errors !== null) return false;
      const cast = byType[typeOf(a)];
      if (cast.errors.length > 0) context.errors = cast.errors.map((error) => ({ ...error }));
      return cast.members.has(a) !== negated;
    };
  }
  const elements = set.map((element) => element.evaluate);
  return (context) => {
    const a = x(context);
    if (context.errors !== null) return false;
    const values: Value[] = [];
    for (const element of elements) {
      values.push(element(context));
      if (context.errors !== null) return false;
    }
    let found = false;
    for (const value of values) if (equals(value, a, context, position)) found = true;
    return found !== negated;
  };
}
