import type { Command } from 'commander';
import { VERSION } from '../version.js';
import { connect, withConnectionOptions, type ConnectionOptions } from './connection.js';

/** `junction version`: the client version and whether the server answers at --server. */
export function registerVersion(program: Command): void {
  withConnectionOptions(program.command('version').description('print the client version and whether the server is reachable'))
    .addHelpText('after', '\nExample:\n  junction version --server http://127.0.0.1:8080')
    .action(async (options: ConnectionOptions) => {
      const client = connect(options);
      const reachable = await client.reachable('/healthz');
      process.stdout.write(`Client Version: ${VERSION}\nServer: ${client.server} (${reachable ? 'reachable' : 'unreachable'})\n`);
    });
}
