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

/** The one line the CLI prints for an error (the same shape main uses): `CODE: detail (path: message; …)`. */
export function errorLine(error: unknown): string {
  if (!isJunctionError(error)) return (error as Error).message;
  const problems = error.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return `${error.code}: ${error.message}${problems ? ` (${problems})` : ''}`;
}
