import { stringify } from 'yaml';
import { isJunctionError } from '../../core/errors.js';

/** Output formats of `get`/`export`. */
export type OutputFormat = 'table' | 'wide' | 'yaml' | 'json';

/** One YAML document (no `---`), block style, long strings never folded. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/** Pretty JSON with a trailing newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The one line the CLI prints for an error: `CODE: detail (path: message; …)`. An error from outside
 * the catalog (a bug, a library's own failure) is JUNCTION_INTERNAL, so every line has a code.
 */
export function errorLine(error: unknown): string {
  if (!isJunctionError(error)) return `JUNCTION_INTERNAL: ${error instanceof Error ? error.message : String(error)}`;
  const problems = error.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return `${error.code}: ${error.message}${problems ? ` (${problems})` : ''}`;
}

/** Commander's `error: unknown option '--x'` text as `junction: JUNCTION_CLI_USAGE: unknown option '--x'`. */
export function usageErrorLine(commanderText: string): string {
  return `junction: JUNCTION_CLI_USAGE: ${commanderText.replace(/^error: /, '')}`;
}
