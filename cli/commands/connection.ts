import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { JunctionClient } from '../client.js';

/** Options every client command takes (each command declares them, so they may follow the command name). */
export interface ConnectionOptions {
  server: string;
  token?: string;
  dataDir: string;
}

/** The default server address of `--server`. */
export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

/** Adds `--server`, `--token` and `--data-dir` (with their environment variables) to a command. */
export function withConnectionOptions(command: Command): Command {
  const group = 'Connection options:';
  return command
    .addOption(new Option('--server <url>', 'Junction server URL').env('JUNCTION_SERVER').default(DEFAULT_SERVER).helpGroup(group))
    .addOption(new Option('--token <token>', 'bearer token (default: <data-dir>/admin.token when it exists)').env('JUNCTION_TOKEN').helpGroup(group))
    .addOption(new Option('--data-dir <dir>', 'data directory of a local Junction, to find admin.token').env('JUNCTION_DATA_DIR').default('./.junction').helpGroup(group));
}

/** Adds `-n, --namespace` (default `default`). */
export function withNamespaceOption(command: Command, description = 'namespace'): Command {
  return command.addOption(new Option('-n, --namespace <ns>', description).default('default'));
}

/** A client for the options: the token comes from --token, JUNCTION_TOKEN, or the local admin.token file, in that order. */
export function connect(options: ConnectionOptions): JunctionClient {
  return new JunctionClient(options.server, resolveToken(options));
}

/** The token a client command uses: --token, JUNCTION_TOKEN, or the local admin.token file, in that order. */
export function resolveToken(options: ConnectionOptions): string | undefined {
  return options.token ?? localAdminToken(options.dataDir);
}

/** The connection options a client command gets when no flag is given: JUNCTION_* variables and defaults, read as the commands read them. */
export function connectionFromEnvironment(): ConnectionOptions {
  return withConnectionOptions(new Command()).exitOverride().parse([], { from: 'user' }).opts<ConnectionOptions>();
}

function localAdminToken(dataDir: string): string | undefined {
  const file = join(dataDir, 'admin.token');
  if (!existsSync(file)) return undefined;
  const token = readFileSync(file, 'utf8').trim();
  return token === '' ? undefined : token;
}
