/** A JSON Pointer (RFC 6901): `""` or `/`-separated reference tokens with `~1` for `/` and `~0` for `~`. */
export const JSON_POINTER_PATTERN = '^(/([^~]|~[01])*)*$';

/**
 * The value at a JSON Pointer (RFC 6901) in a parsed JSON document, as a non-empty string when it
 * is a string, number or boolean (objects, arrays, null and absent values give undefined).
 */
export function pointerValue(document: unknown, pointer: string): string | undefined {
  let value: unknown = document;
  if (pointer !== '') {
    for (const token of pointer.slice(1).split('/')) {
      const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
      if (Array.isArray(value)) value = /^(0|[1-9][0-9]*)$/.test(key) ? value[Number(key)] : undefined;
      else if (value !== null && typeof value === 'object' && Object.hasOwn(value, key)) value = (value as Record<string, unknown>)[key];
      else return undefined;
    }
  }
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
