import AjvModule, { type ValidateFunction } from 'ajv';
import { createError, type FieldProblem } from '../errors.js';
import { FieldPruner } from './field-pruning.js';
import type { FieldRef } from './immutable-fields.js';
import type { Resource } from './types.js';
import { splitApiVersion } from './types.js';

const Ajv = AjvModule.default ?? AjvModule;
const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });

/** What admission knows while defaulting and validating a resource. */
export interface AdmissionContext {
  /** The stored version, on update; undefined on create. */
  previous?: Resource;
}

/**
 * One resource kind: where it lives in the API, its schema (ajv applies defaults and checks types)
 * and optional hooks for defaults, semantic validation and redaction on read.
 */
export interface KindDefinition {
  group: string;
  /** Served versions; all map to the same stored objects. */
  versions: string[];
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  /**
   * JSON Schema of the whole object (spec, data…). It must name every field the kind has: fields of
   * an object with `properties` that it does not list are unknown and pruned (or refused, with
   * `fieldValidation=Strict`) unless the object carries `x-kubernetes-preserve-unknown-fields: true`.
   */
  schema?: Record<string, unknown>;
  /** Fields that cannot change once created (Knative's CheckImmutableFields), compared after defaults. */
  immutableFields?: FieldRef[];
  /** Fills defaults that a schema cannot express. */
  defaults?(resource: Resource, context: AdmissionContext): void;
  /** Semantic checks; returns every problem with its field path. */
  validate?(resource: Resource, context: AdmissionContext): FieldProblem[];
  /** The object as readers see it (e.g. secrets without values). */
  redact?(resource: Resource): Resource;
  /** Which top-level fields make up the "spec" whose change bumps metadata.generation. */
  specFields?: string[];
}

interface RegisteredKind extends KindDefinition {
  compiled?: ValidateFunction;
  pruner?: FieldPruner;
}

/** All kinds Junction serves; later modules register theirs (sources, serving) through the same call. */
export class KindRegistry {
  private readonly byKind = new Map<string, RegisteredKind>();
  private readonly byPluralKey = new Map<string, RegisteredKind>();

  register(definition: KindDefinition): void {
    const registered: RegisteredKind = {
      ...definition,
      compiled: definition.schema ? ajv.compile(definition.schema) : undefined,
      pruner: definition.schema ? new FieldPruner(definition.schema) : undefined,
    };
    this.byKind.set(`${definition.group}/${definition.kind}`, registered);
    this.byPluralKey.set(`${definition.group}/${definition.plural}`, registered);
  }

  /** The kind of a document, by apiVersion and kind; throws JUNCTION_KIND_UNKNOWN. */
  forDocument(apiVersion: unknown, kind: unknown): KindDefinition {
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      throw createError('JUNCTION_RESOURCE_INVALID', 'apiVersion and kind are required', {
        problems: [
          ...(typeof apiVersion === 'string' ? [] : [{ path: 'apiVersion', message: 'required' }]),
          ...(typeof kind === 'string' ? [] : [{ path: 'kind', message: 'required' }]),
        ],
      });
    }
    const { group, version } = splitApiVersion(apiVersion);
    const found = this.byKind.get(`${group}/${kind}`);
    if (!found || !found.versions.includes(version)) throw createError('JUNCTION_KIND_UNKNOWN', `unknown kind ${kind} in ${apiVersion}`);
    return found;
  }

  /** The kind served at /apis/{group}/{version}/…/{plural}. */
  forPlural(group: string, version: string, plural: string): KindDefinition {
    const found = this.byPluralKey.get(`${group}/${plural}`);
    if (!found || !found.versions.includes(version)) throw createError('JUNCTION_KIND_UNKNOWN', `unknown resource ${plural} in ${group || 'core'}/${version}`);
    return found;
  }

  /** The kind a CLI user names: plural, singular, short name or kind, any case (`triggers`, `trigger`, `Trigger`). */
  forName(name: string): KindDefinition {
    const wanted = name.toLowerCase();
    const [resourceName, group] = wanted.includes('.') ? [wanted.slice(0, wanted.indexOf('.')), wanted.slice(wanted.indexOf('.') + 1)] : [wanted, undefined];
    const candidates = [...this.byKind.values()].filter(
      (k) =>
        (group === undefined || k.group === group) &&
        (k.plural === resourceName || k.singular === resourceName || k.kind.toLowerCase() === resourceName || (k.shortNames ?? []).includes(resourceName)),
    );
    if (candidates.length === 0) throw createError('JUNCTION_KIND_UNKNOWN', `unknown resource type "${name}"`);
    return candidates[0];
  }

  all(): KindDefinition[] {
    return [...this.byKind.values()];
  }

  /** Removes the fields of `resource` that its kind does not know; returns their paths. */
  pruneUnknownFields(definition: KindDefinition, resource: Resource): string[] {
    return this.byKind.get(`${definition.group}/${definition.kind}`)?.pruner?.prune(resource) ?? [];
  }

  /** Schema check with defaults applied in place; returns every problem with its path. */
  checkSchema(definition: KindDefinition, resource: Resource): FieldProblem[] {
    const compiled = this.byKind.get(`${definition.group}/${definition.kind}`)?.compiled;
    if (!compiled || compiled(resource)) return [];
    return (compiled.errors ?? []).map((error) => {
      const base = error.instancePath.replace(/^\//, '').replaceAll('/', '.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
      const missing = error.keyword === 'required' ? String((error.params as { missingProperty: string }).missingProperty) : '';
      const path = missing ? (base ? `${base}.${missing}` : missing) : base || '(root)';
      return { path, message: missing ? 'required field is missing' : (error.message ?? 'invalid') };
    });
  }
}

/** The apiVersion string a kind is stored under by default (its first served version). */
export function defaultApiVersion(definition: KindDefinition): string {
  return definition.group ? `${definition.group}/${definition.versions[0]}` : definition.versions[0];
}
