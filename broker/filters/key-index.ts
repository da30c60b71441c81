import type { CloudEvent } from '../../core/cloudevent/index.js';
import { readAttribute } from './attribute-value.js';
import { PrefixTable, removeFrom } from './prefix-table.js';
import type { IndexKey } from './types.js';

/**
 * Entries filed under index keys: exact keys in a hash map per attribute, prefix keys in a
 * PrefixTable per attribute. Answers "which entries does this event hit?" in a few lookups.
 */
export class KeyIndex<E> {
  private readonly exact = new Map<string, Map<string, E[]>>();
  private readonly prefixes = new Map<string, PrefixTable<E>>();

  /** Files `entry` under every key (keys should not repeat). */
  add(keys: IndexKey[], entry: E): void {
    for (const key of keys) {
      if (key.kind === 'exact') {
        let byValue = this.exact.get(key.attribute);
        if (!byValue) this.exact.set(key.attribute, (byValue = new Map()));
        const bucket = byValue.get(key.value);
        if (bucket) bucket.push(entry);
        else byValue.set(key.value, [entry]);
      } else {
        let table = this.prefixes.get(key.attribute);
        if (!table) this.prefixes.set(key.attribute, (table = new PrefixTable()));
        table.add(key.value, entry);
      }
    }
  }

  /** Takes `entry` out from under every key, dropping buckets that become empty. */
  remove(keys: IndexKey[], entry: E): void {
    for (const key of keys) {
      if (key.kind === 'exact') {
        const byValue = this.exact.get(key.attribute);
        const bucket = byValue?.get(key.value);
        if (!byValue || !bucket) continue;
        removeFrom(bucket, entry);
        if (bucket.length === 0) byValue.delete(key.value);
        if (byValue.size === 0) this.exact.delete(key.attribute);
      } else {
        const table = this.prefixes.get(key.attribute);
        if (!table) continue;
        table.remove(key.value, entry);
        if (table.size === 0) this.prefixes.delete(key.attribute);
      }
    }
  }

  /** Calls `visit` with every bucket the event hits (an entry under several hit keys comes several times). */
  forEachHit(event: CloudEvent, visit: (bucket: E[]) => void): void {
    for (const [attribute, byValue] of this.exact) {
      const actual = readAttribute(event, attribute);
      const bucket = actual === undefined ? undefined : byValue.get(actual);
      if (bucket) visit(bucket);
    }
    for (const [attribute, table] of this.prefixes) {
      const actual = readAttribute(event, attribute);
      if (actual !== undefined) table.forEachMatch(actual, visit);
    }
  }
}
