import { ensureServices } from './services.js';

/** Runs once before the suite: every real server the tests use must be up (started if down), or the run fails. */
export default async function setup(): Promise<void> {
  await ensureServices();
}
