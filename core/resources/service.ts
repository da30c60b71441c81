import { createError, type FieldProblem } from '../errors.js';
import type { FieldValidation } from './field-pruning.js';
import { immutableFieldProblems } from './immutable-fields.js';
import type { KindDefinition, KindRegistry } from './kinds.js';
import { parseLabelSelector } from './label-selector.js';
import { dropNullFields } from './null-fields.js';
import type { ResourceStore } from './store.js';
import type { Resource, ResourceKey, ResourceStatus } from './types.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The problem of a namespace that is not a DNS label (at most 63 characters), or undefined when it is one. */
export function namespaceProblem(namespace: unknown): FieldProblem | undefined {
  if (typeof namespace === 'string' && DNS_LABEL.test(namespace) && namespace.length <= 63) return undefined;
  return { path: 'metadata.namespace', message: 'must be a DNS label (lowercase letters, digits and "-", at most 63)' };
}

/** What a write stored, whether it created it, and a warning per unknown field it pruned. */
export interface WriteResult {
  resource: Resource;
  created: boolean;
  warnings: string[];
}

/** How a write is made: by Junction itself (`system`: no quotas), and what it does with unknown fields (default Warn). */
export interface WriteOptions {
  system?: boolean;
  fieldValidation?: FieldValidation;
}

/** Hooks the resource service calls before it stores anything (quotas). */
export interface ResourceHooks {
  beforeCreate?(namespace: string, kind: KindDefinition): void;
}

/** Admission (defaults + validation collecting every problem) in front of the store, as the control API and controllers use it. */
export class ResourceService {
  constructor(
    readonly kinds: KindRegistry,
    readonly store: ResourceStore,
    private readonly hooks: ResourceHooks = {},
  ) {}

  keyOf(kind: KindDefinition, namespace: string, name: string): ResourceKey {
    return { group: kind.group, kind: kind.kind, namespace, name };
  }

  /**
   * Creates (`create`), replaces (`replace`, 404 if missing) or creates-or-replaces (`apply`) a
   * document. Fields its kind does not know are pruned with a warning each, or refused with Strict.
   */
  write(document: unknown, mode: 'create' | 'replace' | 'apply', namespaceDefault = 'default', options: WriteOptions = {}): WriteResult {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw createError('JUNCTION_RESOURCE_INVALID', 'a resource must be a mapping with apiVersion, kind and metadata');
    }
    const input = structuredClone(document) as Resource;
    dropNullFields(input);
    const kind = this.kinds.forDocument(input.apiVersion, input.kind);
    input.metadata = (typeof input.metadata === 'object' && input.metadata !== null ? input.metadata : {}) as Resource['metadata'];
    if (!input.metadata.namespace) input.metadata.namespace = namespaceDefault;
    const key = this.keyOf(kind, String(input.metadata.namespace), String(input.metadata.name ?? ''));
    const previous = key.name ? this.store.get(key) : undefined;
    if (mode === 'create' && previous) throw createError('JUNCTION_RESOURCE_EXISTS', `${kind.kind} ${key.namespace}/${key.name} already exists`);
    if (mode === 'replace' && !previous) throw createError('JUNCTION_RESOURCE_NOT_FOUND', `${kind.kind} ${key.namespace}/${key.name} not found`);

    const unknown = this.kinds.pruneUnknownFields(kind, input);
    const fieldValidation = options.fieldValidation ?? 'Warn';
    this.admit(kind, input, previous, fieldValidation === 'Strict' ? unknown.map((path) => ({ path, message: 'unknown field' })) : []);
    const warnings = fieldValidation === 'Warn' ? unknown.map((path) => `unknown field "${path}"`) : [];
    delete input.status;
    if (previous) {
      if (previous.status) input.status = previous.status;
      if (isSameObject(previous, input)) return { resource: this.redact(kind, previous), created: false, warnings };
      const specChanged = specOf(kind, previous) !== specOf(kind, input);
      return { resource: this.redact(kind, this.store.update(key, input, specChanged)), created: false, warnings };
    }
    // Objects Junction records by itself (system) are not the tenant's doing: quotas do not apply.
    if (!options.system) this.hooks.beforeCreate?.(key.namespace, kind);
    return { resource: this.redact(kind, this.store.create(key, input)), created: true, warnings };
  }

  /** Applies a JSON merge patch (RFC 7386) to a stored resource, then admits the result as a replace. */
  patch(kind: KindDefinition, namespace: string, name: string, patch: unknown, options: WriteOptions = {}): WriteResult {
    const current = this.store.get(this.keyOf(kind, namespace, name));
    if (!current) throw createError('JUNCTION_RESOURCE_NOT_FOUND', `${kind.kind} ${namespace}/${name} not found`);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw createError('JUNCTION_BAD_REQUEST', 'a merge patch must be a JSON object');
    const merged = mergePatch(current, patch) as Resource;
    merged.metadata = { ...merged.metadata, name, namespace };
    if ((patch as Resource).metadata?.resourceVersion === undefined) merged.metadata.resourceVersion = current.metadata.resourceVersion;
    return this.write(merged, 'replace', namespace, options);
  }

  get(kind: KindDefinition, namespace: string, name: string, options: { raw?: boolean } = {}): Resource {
    const found = this.store.get(this.keyOf(kind, namespace, name));
    if (!found) throw createError('JUNCTION_RESOURCE_NOT_FOUND', `${kind.kind} ${namespace}/${name} not found`);
    return options.raw ? found : this.redact(kind, found);
  }

  list(kind: KindDefinition, namespace: string | undefined, labelSelector?: string): Resource[] {
    const matcher = parseLabelSelector(labelSelector);
    return this.store
      .list(kind.group, kind.kind, namespace)
      .filter((r) => matcher(r.metadata.labels))
      .map((r) => this.redact(kind, r));
  }

  delete(kind: KindDefinition, namespace: string, name: string): Resource {
    return this.redact(kind, this.store.delete(this.keyOf(kind, namespace, name)));
  }

  /** Writes a status computed by a controller; no-op when nothing but timestamps would change. */
  updateStatus(resource: Resource, status: ResourceStatus): Resource | undefined {
    const kind = this.kinds.forDocument(resource.apiVersion, resource.kind);
    const key = this.keyOf(kind, resource.metadata.namespace ?? 'default', resource.metadata.name);
    const current = this.store.get(key);
    if (!current || current.metadata.uid !== resource.metadata.uid) return undefined;
    if (JSON.stringify(current.status ?? {}) === JSON.stringify(status)) return current;
    return this.store.update(key, { ...current, status, metadata: { ...current.metadata, resourceVersion: undefined } }, false);
  }

  redact(kind: KindDefinition, resource: Resource): Resource {
    return kind.redact ? kind.redact(resource) : resource;
  }

  private admit(kind: KindDefinition, resource: Resource, previous: Resource | undefined, unknownFields: FieldProblem[]): void {
    const problems: FieldProblem[] = [...unknownFields];
    const { name, namespace } = resource.metadata;
    if (typeof name !== 'string' || name === '') problems.push({ path: 'metadata.name', message: 'required field is missing' });
    else if (!DNS_SUBDOMAIN.test(name) || name.length > 253) {
      problems.push({ path: 'metadata.name', message: 'must be lowercase letters, digits, "-" or ".", starting and ending with a letter or digit' });
    }
    const badNamespace = namespaceProblem(namespace);
    if (badNamespace) problems.push(badNamespace);
    for (const field of ['labels', 'annotations'] as const) {
      const map = resource.metadata[field];
      if (map === undefined) continue;
      if (typeof map !== 'object' || map === null || Array.isArray(map)) problems.push({ path: `metadata.${field}`, message: 'must be a map of strings' });
      else for (const [k, v] of Object.entries(map)) if (typeof v !== 'string') problems.push({ path: `metadata.${field}.${k}`, message: 'must be a string' });
    }
    const context = { previous };
    problems.push(...this.kinds.checkSchema(kind, resource));
    if (problems.length === 0) {
      kind.defaults?.(resource, context);
      problems.push(...(kind.validate?.(resource, context) ?? []));
      if (previous) problems.push(...immutableFieldProblems(kind.immutableFields ?? [], previous, resource));
    }
    if (problems.length > 0) {
      const first = problems.find((p) => p.path !== '') ?? problems[0];
      const detail = problems.length === 1 ? `${first.path}: ${first.message}` : `${problems.length} problems, first ${first.path}: ${first.message}`;
      // When every problem carries the same specific code (e.g. an unsupported filter dialect), answer with it.
      const codes = new Set(problems.map((p) => p.code));
      const [only] = codes;
      throw createError(codes.size === 1 && only ? only : 'JUNCTION_RESOURCE_INVALID', `${kind.kind} ${namespace ?? ''}/${name ?? ''} is invalid: ${detail}`, { problems });
    }
  }
}

function specOf(kind: KindDefinition, resource: Resource): string {
  const fields = kind.specFields ?? ['spec'];
  const picked: Record<string, unknown> = {};
  for (const field of fields) picked[field] = resource[field];
  picked.annotations = resource.metadata.annotations;
  return JSON.stringify(picked);
}

/** True when a write would store exactly what is stored already (server-managed metadata aside). */
function isSameObject(previous: Resource, next: Resource): boolean {
  const comparable = (resource: Resource) => {
    const { uid: _uid, resourceVersion: _rv, generation: _generation, creationTimestamp: _created, ...metadata } = resource.metadata;
    return JSON.stringify({ ...resource, metadata });
  };
  if (next.metadata.resourceVersion !== undefined && next.metadata.resourceVersion !== previous.metadata.resourceVersion) return false;
  return comparable(previous) === comparable(next);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
