import type { CloudEvent } from '../../core/cloudevent/index.js';

/** CloudEvents attribute names: lower-case ASCII letters and digits (spec.md, "Attribute Naming Convention"). */
export const attributeNamePattern = '^[a-z0-9]+$';

/**
 * The string form of a context attribute or extension, or undefined when the event lacks it.
 * Integer and Boolean values compare by their string form; `data` is the payload, never an attribute.
 */
export function readAttribute(event: CloudEvent, name: string): string | undefined {
  const value = event[name];
  if (typeof value === 'string') return name === 'data' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return name === 'data' ? undefined : String(value);
  return undefined;
}

/** Appends an object key to a field path: `.type` for plain names, `["odd key"]` for anything else. */
export function childPath(path: string, key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
