import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes a plugin script `junction-<name>` into `dir` (`#!/bin/sh` and mode 755 unless told otherwise); returns its path. */
export function writePlugin(dir: string, name: string, body: string, options: { mode?: number; interpreter?: string } = {}): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `junction-${name}`);
  writeFileSync(path, `#!${options.interpreter ?? '/bin/sh'}\n${body}\n`);
  chmodSync(path, options.mode ?? 0o755);
  return path;
}

/** A PATH of `dirs` first, then only what plugin scripts need (node, sh and coreutils), so no plugin on this machine's PATH leaks in. */
export function pluginPath(...dirs: string[]): string {
  return [...dirs, dirname(process.execPath), '/usr/bin', '/bin'].join(':');
}

/** A plugin body that prints its arguments (one `arg=` line each), JUNCTION_SERVER, JUNCTION_TOKEN and its stdin, and exits with $PLUGIN_EXIT. */
export function recorderBody(label: string): string {
  return [
    `echo "plugin=${label}"`,
    'for arg in "$@"; do echo "arg=$arg"; done',
    'echo "server=${JUNCTION_SERVER-<unset>}"',
    'echo "token=${JUNCTION_TOKEN-<unset>}"',
    'echo "stdin=$(cat)"',
    `echo "${label} on stderr" >&2`,
    'exit "${PLUGIN_EXIT:-0}"',
  ].join('\n');
}
