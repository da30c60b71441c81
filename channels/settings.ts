import AjvModule, { type ValidateFunction } from 'ajv';
import { createError } from '../core/errors.js';

const Ajv = AjvModule.default ?? AjvModule;
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

/** JSON Schema of the per-channel settings an engine accepts in `open(name, settings)`. */
export type SettingsSchema = Record<string, unknown>;

/**
 * Checks `settings` against an engine's schema (compiled once) and returns them typed; every
 * problem is reported at once as JUNCTION_CONFIG_INVALID.
 */
export function parseChannelSettings<T>(kind: string, schema: SettingsSchema, settings: Record<string, unknown>): T {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(settings)) return settings as T;
  const problems = (validate.errors ?? []).map((error) => ({
    path: `settings${error.instancePath.replaceAll('/', '.')}`,
    message: error.message ?? 'is invalid',
  }));
  throw createError('JUNCTION_CONFIG_INVALID', `invalid ${kind} channel settings`, { problems });
}

/**
 * Rejects option keys an engine does not know (a typo in junction.yaml must not be silently
 * ignored), listing each as a problem of JUNCTION_CONFIG_INVALID.
 */
export function rejectUnknownOptions(kind: string, options: object, known: readonly string[]): void {
  const unknown = Object.keys(options).filter((key) => !known.includes(key) && (options as Record<string, unknown>)[key] !== undefined);
  if (unknown.length === 0) return;
  throw createError('JUNCTION_CONFIG_INVALID', `unknown ${kind} option${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (known: ${known.join(', ')})`, {
    problems: unknown.map((key) => ({ path: `channels.${kind}.${key}`, message: 'is not an option of this engine' })),
  });
}
