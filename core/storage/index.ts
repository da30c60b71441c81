/** Files in the data dir: owner-only modes, and the health of the embedded stores for /readyz. */
export { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, ensurePrivateDir, preparePrivateDatabase, writePrivateFile } from './private-files.js';
export { guardedWrite } from './guarded-write.js';
export type { KeyValueStore } from './key-value.js';
export { StorageHealth, isDiskFull, type StorageFailure } from './storage-health.js';
