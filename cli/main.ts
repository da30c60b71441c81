import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { registerDisplayCommand } from './display/command.js';
import { errorLine, usageErrorLine } from './output/format.js';
import { registerPluginCommands } from './plugins/command.js';
import { registerStartCommand } from './start/command.js';
import { VERSION } from './version.js';

/** The `junction` command: parses flags and hands off to one subcommand; errors are one line and exit 1. */
async function main(argv: string[]): Promise<void> {
  const program = new Command('junction')
    .description('Junction: an event mesh in one process — CloudEvents broker, triggers, channels, sources, serving')
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(add --help for usage)')
    // Commander's own errors (unknown option or command, missing argument) read like every other one.
    .configureOutput({ outputError: (text, write) => write(usageErrorLine(text)) })
    .exitOverride();
  registerStartCommand(program);
  registerCommands(program);
  registerDisplayCommand(program);
  const plugins = registerPluginCommands(program, process.env);
  try {
    await program.parseAsync(argv);
    await plugins.finish();
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    process.stderr.write(`junction: ${errorLine(error)}\n`);
    process.exit(1);
  }
}

await main(process.argv);
