import { destinationSchema, validateDestination } from '../../broker/index.js';
import { parseDurationMs } from '../../core/duration/index.js';
import type { FieldProblem } from '../../core/errors.js';
import type { KindDefinition, Resource } from '../../core/resources/index.js';
import type { SourceAdapter } from './adapter.js';
import { apisOf } from './registry.js';

/** `{secretKeyRef: {name, key}}`, as Knative's sources name a Secret's value. */
export const secretRefSchema = { type: 'object', required: ['secretKeyRef'], properties: { secretKeyRef: { type: 'object', required: ['name', 'key'], properties: { name: { type: 'string', minLength: 1 }, key: { type: 'string', minLength: 1 } } } } };

/** Extension attribute names: CloudEvents allows lower-case ASCII letters and digits. */
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
/** Attributes an override cannot replace: the adapter sets them. */
const RESERVED = new Set(['specversion', 'id', 'source', 'type', 'datacontenttype', 'dataschema', 'subject', 'time', 'data', 'data_base64']);

/** Fields of every source's spec (Knative's duck/v1 SourceSpec), plus the push sources' common ones. */
function commonProperties(adapter: SourceAdapter): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    sink: destinationSchema,
    ceOverrides: { type: 'object', properties: { extensions: { type: 'object', additionalProperties: { type: 'string' } } } },
  };
  const webhook = adapter.webhook;
  if (webhook) {
    properties.publicUrl = { type: 'string', minLength: 1 };
    properties.dedupeWindow = { type: 'string' };
    properties.toleranceSeconds = { type: 'integer', minimum: 0 };
    if (webhook.credential === 'publicKey') properties.publicKey = secretRefSchema;
    else properties.secretToken = secretRefSchema;
  }
  return properties;
}

/** The resource kinds (one per served group) of a source adapter. */
export function sourceKinds(adapter: SourceAdapter): KindDefinition[] {
  const lower = adapter.kind.toLowerCase();
  return apisOf(adapter).map((api) => ({
    group: api.group,
    versions: api.versions,
    kind: adapter.kind,
    plural: `${lower}s`,
    singular: lower,
    shortNames: adapter.shortNames,
    schema: {
      type: 'object',
      required: ['spec'],
      properties: {
        spec: {
          type: 'object',
          required: ['sink', ...(adapter.requiredSpec ?? []), ...(adapter.webhook?.credential === 'secret' && !adapter.webhook.optionalCredential ? ['secretToken'] : []), ...(adapter.webhook?.credential === 'publicKey' ? ['publicKey'] : [])],
          properties: { ...commonProperties(adapter), ...adapter.specProperties },
        },
      },
    },
    validate: (resource: Resource) => validateSource(adapter, resource),
  }));
}

function validateSource(adapter: SourceAdapter, resource: Resource): FieldProblem[] {
  const spec = (resource.spec ?? {}) as Record<string, unknown>;
  const namespace = resource.metadata.namespace ?? 'default';
  const problems = validateDestination(spec.sink, 'spec.sink', namespace);
  const extensions = (spec.ceOverrides as { extensions?: Record<string, string> } | undefined)?.extensions ?? {};
  for (const name of Object.keys(extensions)) {
    if (!EXTENSION_NAME.test(name)) problems.push({ path: `spec.ceOverrides.extensions.${name}`, message: 'an extension name is 1 to 20 lower-case letters or digits' });
    else if (RESERVED.has(name)) problems.push({ path: `spec.ceOverrides.extensions.${name}`, message: 'a context attribute the source sets cannot be overridden' });
  }
  if (typeof spec.dedupeWindow === 'string' && parseDurationMs(spec.dedupeWindow) === undefined) {
    problems.push({ path: 'spec.dedupeWindow', message: 'must be an ISO-8601 duration, e.g. PT72H' });
  }
  if (typeof spec.publicUrl === 'string' && !/^https?:\/\/[^/]/.test(spec.publicUrl)) problems.push({ path: 'spec.publicUrl', message: 'must be an absolute http(s) URL' });
  problems.push(...(adapter.validate?.(spec, resource) ?? []));
  return problems;
}
