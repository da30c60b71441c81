import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { requireBuiltCli } from '../e2e/cli-harness.js';
import { startTestJunction, type TestJunction } from './junction.js';

/** What a CLI test file points `junction` at. */
export interface JunctionForCli {
  /** The Junction's URL, for the CLI's `server` option. */
  readonly server: string;
  /** A scratch dir for files the tests pass with `-f` (removed after the tests). */
  readonly dir: string;
  /** The Junction's data dir (with auth on, its admin.token is there). */
  readonly dataDir: string;
}

/**
 * Before a file's tests: checks the CLI is built, starts a Junction (with config `overrides`, e.g.
 * `{ 'auth.mode': 'on' }`) and makes a scratch dir; after them, stops and removes both. Call once at
 * the top of a CLI test file (it registers beforeAll/afterAll).
 */
export function useJunctionForCli(overrides: Record<string, unknown> = {}): JunctionForCli {
  let junction: TestJunction;
  let dir: string;
  beforeAll(async () => {
    requireBuiltCli();
    junction = await startTestJunction(overrides);
    dir = mkdtempSync(join(tmpdir(), 'junction-cli-files-'));
  });
  afterAll(async () => {
    await junction?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get server() {
      return junction.url;
    },
    get dir() {
      return dir;
    },
    get dataDir() {
      return junction.dataDir;
    },
  };
}
