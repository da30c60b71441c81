import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, sep } from 'node:path';

/** The prefix every plugin's file name starts with: `junction foo` runs `junction-foo`. */
export const PLUGIN_PREFIX = 'junction-';

/** Where plugins are looked for, in order: the plugins directory first, then each PATH entry. */
export interface PluginSearch {
  /** The plugins directory, absolute (it may not exist). */
  pluginsDir: string;
  /** The PATH value to search after it. */
  path: string;
}

/** A plugin that `junction <command words…>` runs. */
export interface Plugin {
  /** The command words it answers to, e.g. `['foo', 'bar']` for `junction-foo-bar`. */
  words: string[];
  /** Its absolute path. */
  path: string;
}

/** The directories searched, in order, without repeats; empty and relative PATH entries are left out (they would depend on the working directory). */
export function searchDirectories(search: PluginSearch): string[] {
  const onPath = search.path.split(delimiter).filter((dir) => isAbsolute(dir));
  return [...new Set([search.pluginsDir, ...onPath])];
}

/** The file name of the plugin for command words: words joined by `-`, a `-` inside a word written `_` (as kn does). */
export function pluginFileName(words: string[]): string {
  return `${PLUGIN_PREFIX}${words.map((word) => word.replaceAll('-', '_')).join('-')}`;
}

/** The command words a plugin file name answers to (the inverse of pluginFileName). */
export function commandWords(fileName: string): string[] {
  return fileName
    .slice(PLUGIN_PREFIX.length)
    .split('-')
    .map((word) => word.replaceAll('_', '-'));
}

/**
 * The most specific plugin for the leading command words of `args` (the words before the first
 * option): `foo bar baz` tries junction-foo-bar-baz, then junction-foo-bar, then junction-foo.
 * In each directory only executable files count; undefined when none matches.
 */
export function findPlugin(args: string[], search: PluginSearch): { plugin: Plugin; args: string[] } | undefined {
  const words: string[] = [];
  for (const arg of args) {
    if (arg === '' || arg.startsWith('-') || arg.includes(sep) || arg.includes('/')) break;
    words.push(arg);
  }
  const dirs = searchDirectories(search);
  for (let count = words.length; count > 0; count--) {
    const fileName = pluginFileName(words.slice(0, count));
    for (const dir of dirs) {
      const path = join(dir, fileName);
      if (isExecutableFile(path)) return { plugin: { words: words.slice(0, count), path }, args: args.slice(count) };
    }
  }
  return undefined;
}

/** One `junction-*` file in a searched directory, in search order. */
export interface PluginFile extends Plugin {
  executable: boolean;
}

/** Every `junction-*` file (or link to one) in the searched directories, in search order; missing or unreadable directories are skipped. */
export function pluginFiles(search: PluginSearch): PluginFile[] {
  const files: PluginFile[] = [];
  for (const dir of searchDirectories(search)) {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.startsWith(PLUGIN_PREFIX) || name.length === PLUGIN_PREFIX.length) continue;
      const path = join(dir, name);
      if (!isFile(path)) continue;
      files.push({ words: commandWords(name), path, executable: isExecutableFile(path) });
    }
  }
  return files;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isExecutableFile(path: string): boolean {
  if (!isFile(path)) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
