import Database from 'better-sqlite3';
import { createError } from '../errors.js';
import type { StorageHealth } from './storage-health.js';

/**
 * Runs a write to the SQLite file `store` and reports its outcome to `health`. An error of the
 * database (disk full, I/O error, read-only file) becomes JUNCTION_STORAGE_UNAVAILABLE saying
 * `refused`, with the driver's error as its cause only: paths and driver messages stay out of answers.
 */
export function guardedWrite<T>(store: string, health: StorageHealth | undefined, refused: string, work: () => T): T {
  let result: T;
  try {
    result = work();
  } catch (error) {
    if (!(error instanceof Database.SqliteError)) throw error;
    health?.failed(store, error);
    throw createError('JUNCTION_STORAGE_UNAVAILABLE', refused, { cause: error });
  }
  health?.succeeded(store);
  return result;
}
