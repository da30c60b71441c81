import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { createError, JunctionError } from '../../core/errors.js';
import type { StorageHealth } from '../../core/storage/index.js';
import type { Channel, ChannelFactory } from '../channel.js';
import { LogChannel } from '../log/log-channel.js';
import { parseChannelSettings, type SettingsSchema } from '../settings.js';
import { CommitQueue } from './commit-queue.js';
import { CommitWorker } from './commit-worker.js';
import { openChannelDatabase, prepareStatements, type SqliteDurability } from './database.js';
import { SqliteRetention } from './retention.js';
import { SqliteLog, type SqliteShared } from './sqlite-log.js';

/** Options of the sqlite engine. */
export interface SqliteChannelOptions {
  /** The database file shared by every channel of this factory. */
  path: string;
  /** 'full' (default): a commit survives power loss; 'normal': survives process crashes only. */
  durability?: SqliteDurability;
  /** Records older than this are deleted (default 7 days); a channel may override it in its settings. */
  retentionMs?: number;
  /** How many recent records per channel are kept in memory for readers (default 10000). */
  cacheRecords?: number;
  /** How often retention runs (default: a quarter of the retention, between 1 s and 60 s). */
  retentionCheckMs?: number;
  /** Hears whether commits land or fail (a full disk), so /readyz can report the database. */
  health?: StorageHealth;
}

const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const DEFAULT_CACHE_RECORDS = 10_000;

const settingsSchema: SettingsSchema = {
  type: 'object',
  properties: { retentionMs: { type: 'integer', minimum: 1 } },
};

/**
 * The `sqlite` engine: every channel in one better-sqlite3 database (WAL), appends group-committed,
 * offsets and group positions surviving restarts. The database opens on the first `open`.
 */
export class SqliteChannelFactory implements ChannelFactory {
  readonly kind = 'sqlite';
  readonly durable = true;
  private readonly retentionMs: number;
  private db: Database.Database | undefined;
  private shared: SqliteShared | undefined;
  private retention: SqliteRetention | undefined;
  private readonly channels = new Map<string, { channel: LogChannel; log: SqliteLog }>();
  private closed = false;

  constructor(private readonly options: SqliteChannelOptions) {
    this.retentionMs = parseChannelSettings<{ retentionMs: number }>('sqlite', settingsSchema, {
      retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
    }).retentionMs;
  }

  /** Opens (or returns the already open) channel `name`; settings: `retentionMs`. */
  open(name: string, settings: Record<string, unknown> = {}): Promise<Channel> {
    if (this.closed) return Promise.reject(createError('JUNCTION_SHUTTING_DOWN', 'the sqlite channel factory is closed'));
    const existing = this.channels.get(name);
    if (existing) return Promise.resolve(existing.channel);
    try {
      const overrides = parseChannelSettings<{ retentionMs?: number }>('sqlite', settingsSchema, settings);
      const shared = this.database();
      shared.statements.insertChannel.run(name);
      const row = shared.statements.selectChannel.get(name);
      if (!row) throw new Error(`channel row for "${name}" missing after insert`);
      const log = new SqliteLog(
        row.id,
        row.tail_offset,
        shared,
        { retentionMs: overrides.retentionMs ?? this.retentionMs, cacheRecords: this.options.cacheRecords ?? DEFAULT_CACHE_RECORDS },
        () => {
          if (this.channels.get(name)?.log === log) this.channels.delete(name);
        },
      );
      const channel = new LogChannel(name, log);
      this.channels.set(name, { channel, log });
      return Promise.resolve(channel);
    } catch (error) {
      return Promise.reject(storageError(error, `channel "${name}" could not be opened`));
    }
  }

  /** Deletes a channel's records and positions for good. */
  async drop(name: string): Promise<void> {
    if (this.closed) throw createError('JUNCTION_SHUTTING_DOWN', 'the sqlite channel factory is closed');
    await this.channels.get(name)?.channel.close();
    const shared = this.database();
    const row = shared.statements.selectChannel.get(name);
    if (!row) return;
    shared.transaction(() => {
      shared.statements.deleteRecords.run(row.id);
      shared.statements.deleteCursors.run(row.id);
      shared.statements.deleteChannel.run(row.id);
    });
  }

  /** Closes every channel (pending appends commit first), then the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.retention?.stop();
    await Promise.all([...this.channels.values()].map(({ channel }) => channel.close()));
    await this.shared?.queue.close();
    this.db?.close();
  }

  private database(): SqliteShared {
    if (this.shared) return this.shared;
    const durability = this.options.durability ?? 'full';
    const db = openChannelDatabase(this.options.path, durability);
    const statements = prepareStatements(db);
    const runInTransaction = db.transaction((work: () => void) => work());
    this.db = db;
    // Appends and cursor saves are written by a writer thread (started on the first write); this
    // connection reads, trims and drops.
    const store = basename(this.options.path);
    const health = this.options.health;
    const queue = new CommitQueue(
      () => new CommitWorker(this.options.path, durability),
      (error) => (error ? health?.failed(store, error) : health?.succeeded(store)),
    );
    this.shared = { statements, queue, transaction: (work) => runInTransaction.immediate(work) };
    const checkMs = this.options.retentionCheckMs ?? Math.min(60_000, Math.max(1_000, Math.floor(this.retentionMs / 4)));
    this.retention = new SqliteRetention(() => [...this.channels.values()].map(({ log }) => log), checkMs);
    return this.shared;
  }
}

function storageError(error: unknown, message: string): Error {
  if (error instanceof JunctionError) return error;
  return createError('JUNCTION_STORAGE_UNAVAILABLE', `${message}: ${(error as Error).message}`, { cause: error });
}
