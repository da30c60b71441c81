/** Files in the data dir: owner-only modes, the one database handle, the key-value store, and the health of the embedded stores for /readyz. */
export { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, ensurePrivateDir, preparePrivateDatabase, writePrivateFile } from './private-files.js';
export { openDatabase, useDatabase, type DatabaseSource, type SqliteDatabase } from './database.js';
export { guardedWrite } from './guarded-write.js';
export type { KeyValueStore } from './key-value.js';
export { BATCH_DELAY_MS, BATCH_MAX_KEYS, SWEEP_BATCH_ROWS, SqliteKeyValueStore, type SqliteKeyValueOptions } from './sqlite-key-value.js';
export { StorageHealth, isDiskFull, type StorageFailure } from './storage-health.js';
