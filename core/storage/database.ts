import Database from 'better-sqlite3';
import { preparePrivateDatabase } from './private-files.js';

/** An open SQLite database (better-sqlite3): the one handle the embedded stores of a file share. */
export type SqliteDatabase = Database.Database;

/**
 * Opens (creating, owner-only) the SQLite file at `path` with the settings every embedded store
 * relies on: WAL (readers never block the writer) and synchronous FULL (a write that returned is
 * on disk, power loss included). Junction opens each file once and hands the handle to its stores.
 */
export function openDatabase(path: string): SqliteDatabase {
  preparePrivateDatabase(path);
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * What a store is built on: a path (the store opens the file and closes it with itself, as
 * standalone stores and tests do) or a shared handle (which the store never closes).
 */
export type DatabaseSource = string | SqliteDatabase;

/** The handle of `source`, and whether the store that asked owns it (so closes it). */
export function useDatabase(source: DatabaseSource): { db: SqliteDatabase; owned: boolean } {
  return typeof source === 'string' ? { db: openDatabase(source), owned: true } : { db: source, owned: false };
}
