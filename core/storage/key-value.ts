/**
 * A durable key-value store with expiry, on Junction's one embedded database: webhook dedupe
 * (provider delivery ids), pull-source offsets and (later) async results. Keys live in buckets
 * (e.g. `dedupe/<namespace>/<source>`) so one owner can list or drop its keys without seeing others'.
 * Values written are durable when the call returns.
 */
export interface KeyValueStore {
  /** The value, or undefined when absent or expired. */
  get(bucket: string, key: string): string | undefined;
  /** Writes (or replaces) a value; `ttlMs` undefined keeps it until deleted. */
  set(bucket: string, key: string, value: string, ttlMs?: number): void;
  /**
   * Writes (or replaces) a value soon, in one transaction with the other writes of the next few
   * milliseconds, instead of one commit (fsync) each; `get` sees it at once. A crash of Junction
   * before that commit (or of the machine shortly after it) loses it: only for records whose loss costs a repeat, never data (a dedupe key: the
   * provider's retry is then emitted again — at least once).
   */
  setBatched(bucket: string, key: string, value: string, ttlMs?: number): void;
  /**
   * Writes the value only if the key is absent or expired; true when it wrote. Atomic: of two
   * callers with the same key, exactly one gets true (the dedupe check).
   */
  setIfAbsent(bucket: string, key: string, value: string, ttlMs?: number): boolean;
  /** Removes one key; true when it existed. */
  delete(bucket: string, key: string): boolean;
  /** Removes every key of a bucket (a deleted source); returns how many. */
  deleteBucket(bucket: string): number;
  /** Live (unexpired) keys of a bucket, for status and tests. */
  count(bucket: string): number;
}
