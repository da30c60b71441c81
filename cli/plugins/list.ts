import type { Plugin, PluginFile } from './lookup.js';

/** What `junction plugin list` reports: the plugins that run, and why each other file found does not. */
export interface PluginReport {
  plugins: Plugin[];
  warnings: string[];
}

/**
 * Sorts the files found (in search order) into plugins that `junction <words>` runs and warnings:
 * a name whose first word is a built-in command (built-ins always win), a file that is not
 * executable, or one shadowed by an executable of the same name found earlier.
 */
export function inspectPlugins(files: PluginFile[], builtins: Set<string>): PluginReport {
  const plugins: Plugin[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const name = file.words.join(' ');
    const earlier = seen.get(name);
    if (builtins.has(file.words[0])) warnings.push(`${file.path} is ignored: the built-in command "junction ${file.words[0]}" always wins`);
    else if (!file.executable) warnings.push(`${file.path} is ignored: it is not executable (chmod +x)`);
    else if (earlier) warnings.push(`${file.path} is shadowed by ${earlier}, found earlier`);
    else {
      seen.set(name, file.path);
      plugins.push({ words: file.words, path: file.path });
    }
  }
  return { plugins, warnings };
}
