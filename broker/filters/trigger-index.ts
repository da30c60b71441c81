import type { CloudEvent } from '../../core/cloudevent/index.js';
import { KeyIndex } from './key-index.js';
import { removeFrom } from './prefix-table.js';
import { planTriggerFilter, type TriggerFilterSpec } from './trigger-filter.js';
import type { Placement } from './trigger-placement.js';
import type { Predicate } from './types.js';

interface Entry<T> {
  value: T;
  placement: Placement;
  /** Passing side: the residual; failing side: the recheck; scan: the whole predicate. */
  check: Predicate | undefined;
  /** The last match() call that decided this entry, so an entry under several hit keys is decided once. */
  seen: number;
}

/**
 * Routes events to the triggers of one broker without testing every filter. A trigger is filed
 * under keys every matching event hits (an exact value in a hash map, or a prefix), or under keys
 * every non-matching event hits (how `not` filters avoid evaluation), or else in a scan list.
 * `match` returns exactly what testing every trigger's predicate would.
 */
export class TriggerIndex<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly passing = new KeyIndex<Entry<T>>();
  private readonly failing = new KeyIndex<Entry<T>>();
  /** Entries placed on the failing side: each matches unless a hit decides otherwise. */
  private readonly complement: Entry<T>[] = [];
  private readonly scan: Entry<T>[] = [];
  private epoch = 0;

  /** Number of triggers held. */
  get size(): number {
    return this.entries.size;
  }

  /** Adds (or replaces) trigger `id`; throws JUNCTION_FILTER_INVALID / _DIALECT_UNSUPPORTED / _CESQL_INVALID and leaves the index unchanged. */
  add(id: string, spec: TriggerFilterSpec, value: T): void {
    const { predicate, placement } = planTriggerFilter(spec);
    this.remove(id);
    const check = placement.kind === 'passing' ? placement.residual : placement.kind === 'failing' ? placement.recheck : predicate;
    const entry: Entry<T> = { value, placement, check, seen: 0 };
    this.entries.set(id, entry);
    if (placement.kind === 'passing') this.passing.add(placement.keys, entry);
    else if (placement.kind === 'failing') {
      this.failing.add(placement.keys, entry);
      this.complement.push(entry);
    } else this.scan.push(entry);
  }

  /** Removes trigger `id`; returns false when it was not there. */
  remove(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    const placement = entry.placement;
    if (placement.kind === 'passing') this.passing.remove(placement.keys, entry);
    else if (placement.kind === 'failing') {
      this.failing.remove(placement.keys, entry);
      removeFrom(this.complement, entry);
    } else removeFrom(this.scan, entry);
    return true;
  }

  /** The value of every trigger whose filter passes `event`, each once (order unspecified). */
  match(event: CloudEvent): T[] {
    const epoch = ++this.epoch;
    const matched: T[] = [];
    this.passing.forEachHit(event, (bucket) => {
      for (let i = 0; i < bucket.length; i++) {
        const entry = bucket[i];
        if (entry.seen === epoch) continue;
        entry.seen = epoch;
        if (!entry.check || entry.check(event)) matched.push(entry.value);
      }
    });
    this.failing.forEachHit(event, (bucket) => {
      for (let i = 0; i < bucket.length; i++) {
        const entry = bucket[i];
        if (entry.seen === epoch) continue;
        entry.seen = epoch;
        if (entry.check && entry.check(event)) matched.push(entry.value);
      }
    });
    const complement = this.complement;
    for (let i = 0; i < complement.length; i++) if (complement[i].seen !== epoch) matched.push(complement[i].value);
    const scan = this.scan;
    for (let i = 0; i < scan.length; i++) if (scan[i].check!(event)) matched.push(scan[i].value);
    return matched;
  }
}
