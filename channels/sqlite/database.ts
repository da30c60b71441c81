import Database from 'better-sqlite3';
import { preparePrivateDatabase } from '../../core/storage/index.js';

/** How hard a commit waits for the disk: FULL survives power loss, NORMAL (WAL) only process crashes. */
export type SqliteDurability = 'full' | 'normal';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS channels (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  -- the oldest retained offset, kept so offsets never restart at 0 when retention empties a channel
  tail_offset INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS records (
  channel_id INTEGER NOT NULL,
  "offset" INTEGER NOT NULL,
  appended_at INTEGER NOT NULL,
  key TEXT,
  event TEXT NOT NULL,
  PRIMARY KEY (channel_id, "offset")
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_time ON records (channel_id, appended_at);
CREATE TABLE IF NOT EXISTS cursors (
  channel_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  "offset" INTEGER NOT NULL,
  PRIMARY KEY (channel_id, name)
) WITHOUT ROWID;
`;

/** A row of the records table. */
export interface RecordRow {
  offset: number;
  appended_at: number;
  key: string | null;
  event: string;
}

/** Opens (creating if needed, owner-only) the channels database in WAL mode with the given durability. */
export function openChannelDatabase(path: string, durability: SqliteDurability): Database.Database {
  preparePrivateDatabase(path);
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('busy_timeout = 2000');
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The statements of the writer thread (channels/sqlite/commit-worker.ts), which prepares them itself. */
export const WRITER_SQL = {
  insertRecord: 'INSERT INTO records (channel_id, "offset", appended_at, key, event) VALUES (?, ?, ?, ?, ?)',
  upsertCursor: 'INSERT INTO cursors (channel_id, name, "offset") VALUES (?, ?, ?) ON CONFLICT (channel_id, name) DO UPDATE SET "offset" = excluded."offset"',
  deleteCursor: 'DELETE FROM cursors WHERE channel_id = ? AND name = ?',
} as const;

/** Every statement the main thread runs (reads, retention, drops), prepared once per database. */
export function prepareStatements(db: Database.Database) {
  return {
    insertChannel: db.prepare<[string]>('INSERT INTO channels (name) VALUES (?) ON CONFLICT (name) DO NOTHING'),
    selectChannel: db.prepare<[string], { id: number; tail_offset: number }>('SELECT id, tail_offset FROM channels WHERE name = ?'),
    deleteChannel: db.prepare<[number]>('DELETE FROM channels WHERE id = ?'),
    setTail: db.prepare<[number, number]>('UPDATE channels SET tail_offset = ? WHERE id = ?'),
    bounds: db.prepare<[number], { low: number | null; high: number | null }>(
      'SELECT MIN("offset") AS low, MAX("offset") AS high FROM records WHERE channel_id = ?',
    ),
    selectRange: db.prepare<[number, number, number], RecordRow>(
      'SELECT "offset" AS offset, appended_at, key, event FROM records WHERE channel_id = ? AND "offset" >= ? ORDER BY "offset" LIMIT ?',
    ),
    offsetAt: db.prepare<[number, number], { offset: number }>(
      'SELECT "offset" AS offset FROM records WHERE channel_id = ? AND appended_at >= ? ORDER BY appended_at, "offset" LIMIT 1',
    ),
    deleteRange: db.prepare<[number, number, number]>('DELETE FROM records WHERE channel_id = ? AND "offset" >= ? AND "offset" < ?'),
    deleteRecords: db.prepare<[number]>('DELETE FROM records WHERE channel_id = ?'),
    selectCursors: db.prepare<[number], { name: string; offset: number }>('SELECT name, "offset" AS offset FROM cursors WHERE channel_id = ?'),
    deleteCursors: db.prepare<[number]>('DELETE FROM cursors WHERE channel_id = ?'),
  };
}

/** The prepared statements of one channels database. */
export type ChannelStatements = ReturnType<typeof prepareStatements>;
