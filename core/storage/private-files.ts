import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';

/** The mode of the data dir: its owner only (other local users must not read Secrets or events). */
export const PRIVATE_DIR_MODE = 0o700;
/** The mode of every file Junction writes in the data dir, whatever the process umask. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents) readable by its owner only, whatever the umask. For a dir that
 * already existed, returns its permission bits when group or others have any access (so the caller
 * can warn); it is left as it is, since the operator chose it.
 */
export function ensurePrivateDir(dir: string): { looseMode?: number } {
  if (existsSync(dir)) {
    const mode = statSync(dir).mode & 0o777;
    return (mode & 0o077) !== 0 ? { looseMode: mode } : {};
  }
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
  return {};
}

/**
 * Makes a SQLite database and its companion files (`-wal`, `-shm`, `-journal`) owner-only before the
 * database is opened. SQLite creates the companions later with the main file's mode, so creating the
 * main file 0600 first covers the files that appear on the first write too.
 */
export function preparePrivateDatabase(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  }
}

/** Writes a file readable by its owner only (mode set after writing, so the umask cannot widen it). */
export function writePrivateFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: PRIVATE_FILE_MODE });
  chmodSync(path, PRIVATE_FILE_MODE);
}
