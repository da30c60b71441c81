import type { FieldProblem } from '../errors.js';
import type { KindDefinition } from './kinds.js';
import type { Resource } from './types.js';

/** Annotation put on a Secret as readers see it: its values are withheld, and applying it back keeps the stored ones. */
export const REDACTED_ANNOTATION = 'junction.dev/redacted';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `v1 Secret`: credentials for channels and sources; never returned in plain text. */
export const secretKind: KindDefinition = {
  group: '',
  versions: ['v1'],
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  specFields: ['data', 'type'],
  // Kubernetes: a Secret's type cannot change.
  immutableFields: [['type']],
  schema: {
    type: 'object',
    properties: {
      type: { type: 'string' },
      data: { type: 'object', additionalProperties: { type: 'string' } },
      stringData: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  defaults(resource, context) {
    const data = { ...((resource.data as Record<string, string>) ?? {}) };
    for (const [key, value] of Object.entries((resource.stringData as Record<string, string>) ?? {})) data[key] = Buffer.from(value).toString('base64');
    delete resource.stringData;
    if (resource.metadata.annotations?.[REDACTED_ANNOTATION] && context.previous) {
      // A redacted copy (from get/export) applied back: keep the real values.
      Object.assign(data, context.previous.data as Record<string, string>);
    }
    if (resource.metadata.annotations) {
      delete resource.metadata.annotations[REDACTED_ANNOTATION];
      if (Object.keys(resource.metadata.annotations).length === 0) delete resource.metadata.annotations;
    }
    resource.data = data;
    resource.type ??= 'Opaque';
  },
  validate(resource) {
    const problems: FieldProblem[] = [];
    for (const [key, value] of Object.entries((resource.data as Record<string, string>) ?? {})) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key)) problems.push({ path: `data.${key}`, message: 'key must be letters, digits, "-", "_" or "."' });
      if (!BASE64.test(value) || value.length % 4 !== 0) problems.push({ path: `data.${key}`, message: 'must be base64' });
    }
    return problems;
  },
  redact(resource: Resource): Resource {
    const data: Record<string, string> = {};
    for (const key of Object.keys((resource.data as Record<string, string>) ?? {})) data[key] = '';
    return {
      ...resource,
      metadata: { ...resource.metadata, annotations: { ...(resource.metadata.annotations ?? {}), [REDACTED_ANNOTATION]: 'true' } },
      data,
    };
  },
};

/** `v1 ConfigMap`: settings (e.g. a broker's `spec.config`). */
export const configMapKind: KindDefinition = {
  group: '',
  versions: ['v1'],
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  specFields: ['data', 'binaryData'],
  schema: {
    type: 'object',
    properties: {
      data: { type: 'object', additionalProperties: { type: 'string' } },
      binaryData: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
};

/** Reads one secret value (decoded), as channels and sources need credentials. */
export function secretValue(secret: Resource, key: string): string | undefined {
  const value = (secret.data as Record<string, string> | undefined)?.[key];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}
