import type { Command } from 'commander';
import { createError } from '../../core/errors.js';
import { builtInSources, SourceRegistry } from '../../sources/index.js';
import { toJson } from '../output/format.js';
import { renderTable } from '../output/table.js';

/** `junction source-types`: every source kind this Junction can run, with the event types it emits. */
export function registerSourceTypes(program: Command): void {
  program
    .command('source-types')
    .description('list the source kinds (apiVersion, kind, webhook or adapter, event types) this Junction runs')
    .option('-o, --output <format>', 'table or json', 'table')
    .addHelpText('after', '\nExamples:\n  junction source-types\n  junction source-types -o json')
    .action((options: { output: string }) => {
      if (options.output !== 'table' && options.output !== 'json') throw createError('JUNCTION_CLI_USAGE', `unknown output format "${options.output}" (table or json)`);
      const registry = new SourceRegistry();
      for (const adapter of builtInSources) registry.register(adapter);
      const types = registry.types();
      if (options.output === 'json') {
        process.stdout.write(toJson(types.map(({ apiVersion, kind, description, eventTypes }) => ({ apiVersion, kind, description, eventTypes }))));
        return;
      }
      // A table stays readable: at most two types per kind (`-o json` lists them all).
      const shown = (eventTypes: string[]) => (eventTypes.length <= 2 ? eventTypes.join(',') : `${eventTypes.slice(0, 2).join(',')} (+${eventTypes.length - 2} more)`);
      const rows = types.map((t) => [t.kind, t.apiVersion, t.push ? 'webhook' : 'adapter', shown(t.eventTypes), t.description]);
      process.stdout.write(`${renderTable(['KIND', 'APIVERSION', 'MODE', 'EVENT TYPES', 'DESCRIPTION'], rows)}\n`);
    });
}
