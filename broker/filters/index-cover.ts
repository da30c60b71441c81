import type { IndexCover, IndexKey, KeySet } from './types.js';

/** Rough cost of looking a trigger up by these keys: fewer, exact, `type` keys are cheapest. */
function costOf(set: KeySet): number {
  let cost = set.exact ? 0 : 0.25;
  for (const key of set.keys) cost += (key.kind === 'exact' ? 1 : 2) + (key.attribute === 'type' ? 0 : 0.5);
  return cost;
}

/** The position of the cheapest defined key set, or -1 when there is none. */
export function cheapestKeySet(sets: Array<KeySet | undefined>): number {
  let best = -1;
  sets.forEach((set, index) => {
    if (set && set.keys.length > 0 && (best < 0 || costOf(set) < costOf(sets[best] as KeySet))) best = index;
  });
  return best;
}

/** Every set's keys together; undefined unless every set is defined. `exact` when all are. */
function unionKeySet(sets: Array<KeySet | undefined>): KeySet | undefined {
  const keys: IndexKey[] = [];
  let exact = true;
  for (const set of sets) {
    if (!set) return undefined;
    keys.push(...set.keys);
    exact &&= set.exact;
  }
  return { keys, exact };
}

/** One of the sets, standing for all of them: only exact when it is the only one and exact itself. */
function anyKeySet(sets: Array<KeySet | undefined>): KeySet | undefined {
  const best = cheapestKeySet(sets);
  if (best < 0) return undefined;
  const set = sets[best] as KeySet;
  return { keys: set.keys, exact: set.exact && sets.length === 1 };
}

/** A single-attribute constraint: it passes exactly when the event hits its key. */
export function keyCover(key: IndexKey): IndexCover {
  return { passing: { keys: [key], exact: true } };
}

/** `not`: passing and failing trade places. */
export function negatedCover(cover: IndexCover): IndexCover {
  return { passing: cover.failing, failing: cover.passing };
}

/** `all`: a passing event hits any one child's passing keys; a failing event hits some child's failing keys. */
export function conjunctionCover(children: IndexCover[]): IndexCover {
  return { passing: anyKeySet(children.map((c) => c.passing)), failing: unionKeySet(children.map((c) => c.failing)) };
}

/** `any`: the dual of `all`. */
export function disjunctionCover(children: IndexCover[]): IndexCover {
  return { passing: unionKeySet(children.map((c) => c.passing)), failing: anyKeySet(children.map((c) => c.failing)) };
}
