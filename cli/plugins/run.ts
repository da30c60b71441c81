import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { createError } from '../../core/errors.js';
import type { Plugin } from './lookup.js';

/** How a plugin's process ended: its exit code, or the signal that killed it. */
export interface PluginExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

// Like system(3): a terminal sends Ctrl-C / Ctrl-\ to the plugin too, so junction ignores them and
// lets the plugin decide; a SIGTERM or SIGHUP sent to junction alone is passed on to the plugin.
const IGNORED: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];

/**
 * Runs a plugin with `args` unchanged, stdin/stdout/stderr inherited and `env` as its whole
 * environment; resolves with how it ended. A plugin that cannot be started is JUNCTION_PLUGIN_FAILED.
 */
export function runPlugin(plugin: Plugin, args: string[], env: NodeJS.ProcessEnv): Promise<PluginExit> {
  return new Promise((resolve, reject) => {
    // The handlers go in before the plugin starts, so no signal finds junction with its default handling while the
    // plugin runs; they run on a later tick of the event loop, when `child` is set.
    const ignore = () => undefined;
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of IGNORED) process.on(signal, ignore);
    for (const signal of FORWARDED) process.on(signal, forward);
    const child = spawn(plugin.path, args, { stdio: 'inherit', env });
    const restore = () => {
      for (const signal of IGNORED) process.off(signal, ignore);
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      restore();
      reject(createError('JUNCTION_PLUGIN_FAILED', `cannot run plugin ${plugin.path}: ${error.code ?? error.message}`, { cause: error }));
    });
    child.on('exit', (code, signal) => {
      restore();
      resolve({ code, signal });
    });
  });
}

/** Ends junction the way the plugin ended: the same exit code, or killed by the same signal (exit 128+n if that signal is ignored here). */
export function exitAsPlugin(exit: PluginExit): never {
  if (exit.signal) {
    process.kill(process.pid, exit.signal);
    process.exit(128 + (constants.signals[exit.signal] ?? 0));
  }
  process.exit(exit.code ?? 1);
}
