import type { Command } from 'commander';
import { registerApply } from './apply.js';
import { registerDelete } from './delete.js';
import { registerDescribe } from './describe.js';
import { registerExport } from './export.js';
import { registerGet } from './get.js';
import { registerLogs } from './logs.js';
import { registerReplay } from './replay.js';
import { registerSend } from './send.js';
import { registerSourceTypes } from './source-types.js';
import { registerToken } from './token.js';
import { registerVersion } from './version.js';

/** Adds the client commands (they talk to a running Junction over its HTTP API) to the `junction` program. */
export function registerCommands(program: Command): void {
  registerApply(program);
  registerGet(program);
  registerDescribe(program);
  registerDelete(program);
  registerExport(program);
  registerSend(program);
  registerToken(program);
  registerReplay(program);
  registerLogs(program);
  registerSourceTypes(program);
  registerVersion(program);
}
