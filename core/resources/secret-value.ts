import { createError, type ErrorCode } from '../errors.js';
import { secretKind } from './core-kinds.js';
import type { ResourceService } from './service.js';

/** A `{secretKeyRef: {name, key}}` reference (Knative's and Kubernetes' way to name a Secret's value). */
export interface SecretKeyRef {
  secretKeyRef: { name: string; key: string };
}

/**
 * The value a Secret of `namespace` holds under `key` (decoded); throws `code` naming the field,
 * the Secret and the key — never the value — when either is missing.
 */
export function readSecretValue(resources: ResourceService, namespace: string, reference: unknown, field: string, code: ErrorCode = 'JUNCTION_SOURCE_NOT_READY'): string {
  const ref = (reference as SecretKeyRef | undefined)?.secretKeyRef;
  if (!ref || typeof ref.name !== 'string' || typeof ref.key !== 'string') throw createError(code, `${field} names no secretKeyRef`);
  const secret = resources.store.get(resources.keyOf(secretKind, namespace, ref.name));
  if (!secret) throw createError(code, `${field}: Secret ${namespace}/${ref.name} does not exist`);
  const encoded = (secret.data as Record<string, string> | undefined)?.[ref.key];
  if (encoded === undefined) throw createError(code, `${field}: Secret ${namespace}/${ref.name} has no key "${ref.key}"`);
  return Buffer.from(encoded, 'base64').toString('utf8');
}
