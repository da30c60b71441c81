import { basename } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { useDatabase, type DatabaseSource, type SqliteDatabase } from './database.js';
import { guardedWrite } from './guarded-write.js';
import type { KeyValueStore } from './key-value.js';
import type { StorageHealth } from './storage-health.js';

/** Expired rows one sweep statement deletes: bounds how long one statement holds the write lock. */
export const SWEEP_BATCH_ROWS = 500;
/** How long a batched write may wait for its commit, and how many wait at most. */
export const BATCH_DELAY_MS = 5;
export const BATCH_MAX_KEYS = 512;

/** Options of a SqliteKeyValueStore. */
export interface SqliteKeyValueOptions {
  /** Where failed writes are reported (for /readyz). */
  health?: StorageHealth;
  /** The clock expiry is measured on, in ms since the epoch (Date.now unless a test injects one). */
  now?: () => number;
  /** Told when a background sweep fails (the failure is in `health` too); ignored by default. */
  onSweepError?: (error: unknown) => void;
}

/**
 * KeyValueStore on a SQLite database, table `kv`: one row per key, with the time it expires. Expired
 * keys are invisible at once and deleted by `sweep` (by hand or every `startSweeping` interval). A
 * write the disk refuses is JUNCTION_STORAGE_UNAVAILABLE and is reported to `health`.
 */
export class SqliteKeyValueStore implements KeyValueStore {
  private readonly db: SqliteDatabase;
  private readonly owned: boolean;
  private readonly storeName: string;
  private readonly now: () => number;
  private readonly statements;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping = false;
  /** Batched writes not committed yet, by bucket and key. */
  private readonly pending = new Map<string, { bucket: string; key: string; value: string; expiresAt: number | null }>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** The connection's own synchronous level, restored after each batch. */
  private readonly synchronous: number;

  /** Creates the `kv` table when missing; `source` is a path (opened and owned) or a shared handle. */
  constructor(
    source: DatabaseSource,
    private readonly options: SqliteKeyValueOptions = {},
  ) {
    ({ db: this.db, owned: this.owned } = useDatabase(source));
    this.storeName = basename(this.db.name);
    this.now = options.now ?? Date.now;
    this.synchronous = this.db.pragma('synchronous', { simple: true }) as number;
    this.write('the key-value table could not be created', () =>
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS kv (
          bucket TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, expires_at INTEGER,
          PRIMARY KEY (bucket, key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS kv_expires_at ON kv (expires_at) WHERE expires_at IS NOT NULL;
      `),
    );
    const live = '(expires_at IS NULL OR expires_at > @now)';
    this.statements = {
      get: this.db.prepare(`SELECT value FROM kv WHERE bucket = @bucket AND key = @key AND ${live}`).pluck(),
      set: this.db.prepare(`INSERT INTO kv (bucket, key, value, expires_at) VALUES (@bucket, @key, @value, @expiresAt)
        ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`),
      // The upsert only replaces an expired row, all in one statement: of two writers, one changes a row.
      setIfAbsent: this.db.prepare(`INSERT INTO kv (bucket, key, value, expires_at) VALUES (@bucket, @key, @value, @expiresAt)
        ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
        WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= @now`),
      delete: this.db.prepare('DELETE FROM kv WHERE bucket = @bucket AND key = @key RETURNING expires_at').pluck(),
      count: this.db.prepare(`SELECT COUNT(*) FROM kv WHERE bucket = @bucket AND ${live}`).pluck(),
      deleteBucket: this.db.prepare('DELETE FROM kv WHERE bucket = @bucket'),
      sweep: this.db.prepare(`DELETE FROM kv WHERE (bucket, key) IN
        (SELECT bucket, key FROM kv WHERE expires_at IS NOT NULL AND expires_at <= @now LIMIT ${SWEEP_BATCH_ROWS})`),
    };
  }

  get(bucket: string, key: string): string | undefined {
    const waiting = this.pending.get(`${bucket}\u0000${key}`);
    if (waiting) return waiting.expiresAt === null || waiting.expiresAt > this.now() ? waiting.value : undefined;
    return this.statements.get.get({ bucket, key, now: this.now() }) as string | undefined;
  }

  setBatched(bucket: string, key: string, value: string, ttlMs?: number): void {
    this.pending.set(`${bucket}\u0000${key}`, { bucket, key, value, expiresAt: this.expiry(ttlMs) });
    if (this.pending.size >= BATCH_MAX_KEYS) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flushInBackground(), BATCH_DELAY_MS).unref();
  }

  /** Commits the batched writes now (close does too). */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.size === 0 || !this.db.open) return;
    const rows = [...this.pending.values()];
    this.pending.clear();
    // Committed without waiting for the disk (synchronous NORMAL in WAL: safe against a crash of
    // Junction, not of the machine): a lost batch costs repeats only (see setBatched).
    this.write('batched values could not be stored', () => {
      this.db.pragma('synchronous = NORMAL');
      try {
        this.db.transaction(() => {
          for (const row of rows) this.statements.set.run(row);
        })();
      } finally {
        this.db.pragma(`synchronous = ${this.synchronous}`);
      }
    });
  }

  set(bucket: string, key: string, value: string, ttlMs?: number): void {
    this.pending.delete(`${bucket}\u0000${key}`);
    const expiresAt = this.expiry(ttlMs);
    this.write('the value could not be stored', () => this.statements.set.run({ bucket, key, value, expiresAt }));
  }

  setIfAbsent(bucket: string, key: string, value: string, ttlMs?: number): boolean {
    this.flush();
    const now = this.now();
    const expiresAt = this.expiry(ttlMs, now);
    return this.write('the value could not be stored', () => this.statements.setIfAbsent.run({ bucket, key, value, expiresAt, now }).changes === 1);
  }

  delete(bucket: string, key: string): boolean {
    this.flush();
    const now = this.now();
    const expiresAt = this.write('the value could not be deleted', () => this.statements.delete.all({ bucket, key })) as Array<number | null>;
    return expiresAt.some((at) => at === null || at > now);
  }

  deleteBucket(bucket: string): number {
    this.flush();
    const now = this.now();
    return this.write('the bucket could not be deleted', () =>
      this.db.transaction(() => {
        const live = this.liveCount(bucket, now);
        this.statements.deleteBucket.run({ bucket });
        return live;
      })(),
    );
  }

  count(bucket: string): number {
    this.flush();
    return this.liveCount(bucket, this.now());
  }

  /** Deletes every key expired at `now`, in batches of SWEEP_BATCH_ROWS; returns how many. */
  sweep(now = this.now()): number {
    let deleted = 0;
    for (let batch = this.sweepBatch(now); ; batch = this.sweepBatch(now)) {
      deleted += batch;
      if (batch < SWEEP_BATCH_ROWS) return deleted;
    }
  }

  /** Sweeps every `intervalMs` in the background (yielding to other work between batches) until close. */
  startSweeping(intervalMs: number): void {
    clearInterval(this.sweeper);
    this.sweeper = setInterval(() => void this.sweepInBackground(), intervalMs);
    this.sweeper.unref();
  }

  /** Stops the background sweep; closes the database when this store opened it. */
  close(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.flush();
    if (this.owned && this.db.open) this.db.close();
  }

  private async sweepInBackground(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      while (this.sweeper && this.db.open && this.sweepBatch(this.now()) === SWEEP_BATCH_ROWS) await nextTurn();
    } catch (error) {
      this.options.onSweepError?.(error);
    } finally {
      this.sweeping = false;
    }
  }

  private flushInBackground(): void {
    try {
      this.flush();
    } catch (error) {
      // Reported to health by write(); the keys are lost, which costs repeats only (see setBatched).
      this.options.onSweepError?.(error);
    }
  }

  private liveCount(bucket: string, now: number): number {
    return this.statements.count.get({ bucket, now }) as number;
  }

  private sweepBatch(now: number): number {
    return this.write('expired keys could not be deleted', () => this.statements.sweep.run({ now }).changes);
  }

  private expiry(ttlMs: number | undefined, now = this.now()): number | null {
    if (ttlMs === undefined) return null;
    if (!Number.isFinite(ttlMs) || ttlMs < 0) throw new RangeError(`ttlMs must be a finite number of milliseconds >= 0, not ${ttlMs}`);
    return now + ttlMs;
  }

  private write<T>(refused: string, work: () => T): T {
    return guardedWrite(this.storeName, this.options.health, refused, work);
  }
}
