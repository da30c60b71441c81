import { allOf } from './dialects/logical.js';
import { cheapestKeySet, conjunctionCover } from './index-cover.js';
import type { Conjunct, IndexKey, Predicate } from './types.js';

/**
 * Where the routing index files a trigger:
 * - `passing`: under keys that every matching event hits; on a hit the trigger matches when
 *   `residual` passes (no residual: the hit alone proves the match);
 * - `failing`: under keys that every non-matching event hits, so an event that hits none matches
 *   unevaluated; on a hit it matches only when `recheck` passes (no recheck: the hit proves a miss);
 * - `scan`: nothing is known, the predicate runs for every event.
 */
export type Placement =
  | { kind: 'passing'; keys: IndexKey[]; residual?: Predicate }
  | { kind: 'failing'; keys: IndexKey[]; recheck?: Predicate }
  | { kind: 'scan' };

/** Places a trigger made of `conjuncts` (its full predicate is `predicate`), preferring the passing side. */
export function placeConjuncts(conjuncts: Conjunct[], predicate: Predicate): Placement {
  const best = cheapestKeySet(conjuncts.map((conjunct) => conjunct.cover.passing));
  if (best >= 0) {
    const chosen = conjuncts[best].cover.passing!;
    const others = conjuncts.filter((_, index) => index !== best).map((conjunct) => conjunct.predicate);
    const residual = !chosen.exact ? predicate : others.length > 0 ? allOf(others) : undefined;
    return { kind: 'passing', keys: uniqueKeys(chosen.keys), residual };
  }
  const failing = conjunctionCover(conjuncts.map((conjunct) => conjunct.cover)).failing;
  if (failing) return { kind: 'failing', keys: uniqueKeys(failing.keys), recheck: failing.exact ? undefined : predicate };
  return { kind: 'scan' };
}

/** The keys without repeats (`any` of two identical branches would otherwise file a trigger twice). */
function uniqueKeys(keys: IndexKey[]): IndexKey[] {
  const byText = new Map(keys.map((key) => [`${key.kind}\u0000${key.attribute}\u0000${key.value}`, key]));
  return [...byText.values()];
}
