/**
 * Buckets keyed by prefix strings, answering "which buckets' prefixes does this value start with?"
 * by probing only the distinct prefix lengths present (few in practice), each one hash lookup.
 */
export class PrefixTable<E> {
  private readonly buckets = new Map<string, E[]>();
  private readonly lengthCounts = new Map<number, number>();
  private lengths: number[] = [];

  /** Number of prefixes held. */
  get size(): number {
    return this.buckets.size;
  }

  /** Adds `entry` under `prefix`. */
  add(prefix: string, entry: E): void {
    const bucket = this.buckets.get(prefix);
    if (bucket) {
      bucket.push(entry);
      return;
    }
    this.buckets.set(prefix, [entry]);
    const count = this.lengthCounts.get(prefix.length) ?? 0;
    this.lengthCounts.set(prefix.length, count + 1);
    if (count === 0) this.lengths = [...this.lengthCounts.keys()].sort((a, b) => a - b);
  }

  /** Removes `entry` from under `prefix` (no-op when absent). */
  remove(prefix: string, entry: E): void {
    const bucket = this.buckets.get(prefix);
    if (!bucket || !removeFrom(bucket, entry) || bucket.length > 0) return;
    this.buckets.delete(prefix);
    const count = (this.lengthCounts.get(prefix.length) ?? 1) - 1;
    if (count > 0) {
      this.lengthCounts.set(prefix.length, count);
    } else {
      this.lengthCounts.delete(prefix.length);
      this.lengths = [...this.lengthCounts.keys()].sort((a, b) => a - b);
    }
  }

  /** Calls `visit` with the bucket of every held prefix of `value` (shortest first). */
  forEachMatch(value: string, visit: (bucket: E[]) => void): void {
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length && lengths[i] <= value.length; i++) {
      const bucket = this.buckets.get(lengths[i] === value.length ? value : value.slice(0, lengths[i]));
      if (bucket) visit(bucket);
    }
  }
}

/** Removes one occurrence of `entry` by swapping in the last element (order inside a bucket does not matter). */
export function removeFrom<E>(bucket: E[], entry: E): boolean {
  const index = bucket.indexOf(entry);
  if (index < 0) return false;
  bucket[index] = bucket[bucket.length - 1];
  bucket.pop();
  return true;
}
