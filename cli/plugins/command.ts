import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { renderTable } from '../output/table.js';
import { connectionFromEnvironment, resolveToken } from '../commands/connection.js';
import { inspectPlugins } from './list.js';
import { findPlugin, pluginFiles, type PluginSearch } from './lookup.js';
import { exitAsPlugin, runPlugin } from './run.js';

/** The default of `--plugins-dir` / JUNCTION_PLUGINS_DIR. */
export const DEFAULT_PLUGINS_DIR = '~/.config/junction/plugins';

/** Waits for the plugin a parse started, if any, and then ends junction as the plugin ended. */
export interface PluginFallback {
  finish(): Promise<void>;
}

/**
 * Adds `--plugins-dir`, `junction plugin list`, and the fallback that makes `junction <name> …`
 * (for a name no built-in command has) run the executable `junction-<name>` with the arguments
 * unchanged. `env` is this process's environment (PATH, and what the plugin inherits).
 */
export function registerPluginCommands(program: Command, env: NodeJS.ProcessEnv): PluginFallback {
  program
    .addOption(new Option('--plugins-dir <dir>', 'where to look for plugins (junction-<name> executables) before PATH').env('JUNCTION_PLUGINS_DIR').default(DEFAULT_PLUGINS_DIR))
    // Everything after a command name belongs to that command (or plugin), so `junction foo --help` reaches junction-foo.
    .passThroughOptions()
    .addHelpText('after', '\nPlugins: for a <name> that is not a command above, `junction <name> [args…]` runs the\nexecutable junction-<name> from the plugins directory or PATH (see `junction plugin list`).');
  // An empty JUNCTION_PLUGINS_DIR means the default, never the working directory.
  const search = (): PluginSearch => ({ pluginsDir: absoluteDir(program.opts<{ pluginsDir: string }>().pluginsDir || DEFAULT_PLUGINS_DIR), path: env.PATH ?? '' });

  const plugin = program
    .command('plugin')
    .description('list the plugins that extend junction (executables named junction-<name>)')
    .addHelpText('after', '\nA plugin is an executable named junction-<name> in the plugins directory (--plugins-dir,\nJUNCTION_PLUGINS_DIR, default ~/.config/junction/plugins) or on PATH; `junction <name> [args…]`\nruns it with the arguments unchanged and JUNCTION_SERVER / JUNCTION_TOKEN set.\n\nExample:\n  junction plugin list');
  plugin
    .command('list')
    .description('list the plugins found (name and path), and the files ignored: shadowed by a built-in command or an earlier file of the same name, or not executable')
    .addHelpText('after', `\nThe plugins directory is searched first, then each PATH entry in order; the first executable\nof a name wins. junction-foo-bar answers to "junction foo bar" (a dash inside a word is\nwritten _), and a plugin whose first word is a built-in command never runs.\n\nExamples:\n  junction plugin list\n  JUNCTION_PLUGINS_DIR=./plugins junction plugin list\n  junction --plugins-dir ./plugins plugin list`)
    .action(() => {
      const builtins = new Set(program.commands.flatMap((command) => [command.name(), ...command.aliases()]).concat('help'));
      const { plugins, warnings } = inspectPlugins(pluginFiles(search()), builtins);
      if (plugins.length === 0) process.stderr.write(`No plugins found in ${search().pluginsDir} or on PATH.\n`);
      else process.stdout.write(`${renderTable(['NAME', 'PATH'], plugins.map((p) => [p.words.join(' '), p.path]))}\n`);
      if (warnings.length > 0) process.stderr.write(`\nWarnings:\n${warnings.map((w) => `  - ${w}\n`).join('')}`);
    });

  let running: Promise<void> | undefined;
  program.on('command:*', (operands: string[]) => {
    const found = findPlugin(operands, search());
    // No plugin: commander's own unknown-command error (with its "Did you mean" hint); it is not in commander's typings.
    if (!found) return (program as unknown as { unknownCommand(): never }).unknownCommand();
    running = runPlugin(found.plugin, found.args, pluginEnvironment(env)).then(exitAsPlugin);
  });
  return { finish: () => running ?? Promise.resolve() };
}

/** The plugin's environment: junction's own, plus the server and token the client commands would use. */
function pluginEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const connection = connectionFromEnvironment();
  const token = resolveToken(connection);
  return { ...env, JUNCTION_SERVER: connection.server, ...(token === undefined ? {} : { JUNCTION_TOKEN: token }) };
}

function absoluteDir(dir: string): string {
  return resolve(dir === '~' || dir.startsWith('~/') ? join(homedir(), dir.slice(1)) : dir);
}
