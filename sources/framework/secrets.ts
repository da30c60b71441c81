import { createError } from '../../core/errors.js';
import { secretKind, type ResourceService } from '../../core/resources/index.js';

/** A `{secretKeyRef: {name, key}}` reference. */
export interface SecretKeyRef {
  secretKeyRef: { name: string; key: string };
}

/**
 * The value a Secret of `namespace` holds under `key` (decoded); throws JUNCTION_SOURCE_NOT_READY
 * naming the Secret and key, never the value, when either is missing.
 */
export function readSecretValue(resources: ResourceService, namespace: string, reference: unknown, field: string): string {
  const ref = (reference as SecretKeyRef | undefined)?.secretKeyRef;
  if (!ref || typeof ref.name !== 'string' || typeof ref.key !== 'string') throw createError('JUNCTION_SOURCE_NOT_READY', `${field} names no secretKeyRef`);
  const secret = resources.store.get(resources.keyOf(secretKind, namespace, ref.name));
  if (!secret) throw createError('JUNCTION_SOURCE_NOT_READY', `${field}: Secret ${namespace}/${ref.name} does not exist`);
  const encoded = (secret.data as Record<string, string> | undefined)?.[ref.key];
  if (encoded === undefined) throw createError('JUNCTION_SOURCE_NOT_READY', `${field}: Secret ${namespace}/${ref.name} has no key "${ref.key}"`);
  return Buffer.from(encoded, 'base64').toString('utf8');
}
