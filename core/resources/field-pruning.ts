import AjvModule, { type ValidateFunction } from 'ajv';
import { fieldPath, pointerSegments } from './field-path.js';

const Ajv = AjvModule.default ?? AjvModule;
const ajv = new Ajv({ allErrors: true, strict: false });

/** Schema keyword (Kubernetes' own) marking an object whose fields are not known and must be kept as written. */
export const PRESERVE_UNKNOWN_FIELDS = 'x-kubernetes-preserve-unknown-fields';

/** How a write treats fields no schema knows, as Kubernetes' `fieldValidation` query parameter. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

type Schema = Record<string, unknown>;

const string = { type: 'string' };

/** `metadata` as Kubernetes accepts it: every ObjectMeta field, labels and annotations as open maps. */
const objectMetaSchema: Schema = {
  type: 'object',
  properties: {
    name: string,
    generateName: string,
    namespace: string,
    uid: string,
    resourceVersion: string,
    generation: {},
    creationTimestamp: {},
    deletionTimestamp: {},
    deletionGracePeriodSeconds: {},
    selfLink: string,
    labels: { type: 'object' },
    annotations: { type: 'object' },
    finalizers: { type: 'array' },
    managedFields: { type: 'array' },
    ownerReferences: {
      type: 'array',
      items: {
        type: 'object',
        properties: { apiVersion: string, kind: string, name: string, uid: string, controller: {}, blockOwnerDeletion: {} },
      },
    },
  },
};

/**
 * The schema with every object that lists its `properties` closed (`additionalProperties: false`),
 * unless it says otherwise or carries x-kubernetes-preserve-unknown-fields: Kubernetes' structural pruning.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const closed: Schema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'properties') closed.properties = Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, closeObjects(child)]));
    else if (['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf'].includes(keyword)) closed[keyword] = closeObjects(value);
    else if (keyword !== 'default' && keyword !== 'required') closed[keyword] = value;
  }
  if (closed.properties && closed.additionalProperties === undefined && closed[PRESERVE_UNKNOWN_FIELDS] !== true) closed.additionalProperties = false;
  return closed;
}

/** Finds and removes the fields of a resource that its kind's schema does not know. */
export class FieldPruner {
  private readonly validate: ValidateFunction;

  /** `kindSchema` is a kind's schema (spec, data…); apiVersion, kind, metadata and status are added here. */
  constructor(kindSchema: Schema) {
    const properties = { apiVersion: string, kind: string, metadata: objectMetaSchema, status: {}, ...((kindSchema.properties as Schema | undefined) ?? {}) };
    this.validate = ajv.compile(closeObjects({ ...kindSchema, type: 'object', properties }) as Schema);
  }

  /** Deletes every unknown field of `resource` in place; returns their paths (`spec.foo`), in document order. */
  prune(resource: Record<string, unknown>): string[] {
    if (this.validate(resource)) return [];
    const unknown: string[][] = [];
    for (const error of this.validate.errors ?? []) {
      if (error.keyword !== 'additionalProperties') continue;
      unknown.push([...pointerSegments(error.instancePath), String((error.params as { additionalProperty: string }).additionalProperty)]);
    }
    for (const segments of unknown) {
      const parent = segments.slice(0, -1).reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment], resource);
      if (typeof parent === 'object' && parent !== null) delete (parent as Record<string, unknown>)[segments[segments.length - 1]];
    }
    return unknown.map(fieldPath);
  }
}

/** The `fieldValidation` query parameter, Kubernetes' values (any case); absent means Warn, Kubernetes' server default. */
export function parseFieldValidation(value: unknown): FieldValidation | undefined {
  if (value === undefined || value === '') return 'Warn';
  const known: FieldValidation[] = ['Strict', 'Warn', 'Ignore'];
  return known.find((mode) => typeof value === 'string' && mode.toLowerCase() === value.toLowerCase());
}
