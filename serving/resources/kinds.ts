import type { FieldProblem } from '../../core/errors.js';
import { validateContainer, type KindDefinition, type Resource } from '../../core/resources/index.js';
import { deciderSpec } from '../autoscaler/annotations.js';
import { DEFAULT_AUTOSCALER_SETTINGS } from '../autoscaler/settings.js';
import { DEFAULT_TRAFFIC, validateTraffic } from './traffic.js';

/** Knative's defaults and bounds of a revision's timeouts (config-defaults). */
export const REVISION_TIMEOUT_DEFAULT_SECONDS = 300;
export const REVISION_TIMEOUT_MAX_SECONDS = 600;
const CONTAINER_CONCURRENCY_MAX = 1000;

/** A Revision's spec (the template's spec): Knative's RevisionSpec fields Junction uses. */
export interface RevisionSpec {
  containers?: unknown[];
  containerConcurrency?: number;
  timeoutSeconds?: number;
  responseStartTimeoutSeconds?: number;
  idleTimeoutSeconds?: number;
}

const GROUP = 'serving.knative.dev';
/** The template (metadata + RevisionSpec) kept whole: Knative YAML with pod fields Junction ignores still applies. */
const template = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const traffic = { type: 'array', items: { type: 'object', properties: { revisionName: { type: 'string' }, latestRevision: { type: 'boolean' }, configurationName: { type: 'string' }, percent: { type: 'integer' }, tag: { type: 'string' }, url: { type: 'string' } } } };

/** Fills a RevisionSpec's defaults in place: timeoutSeconds 300, containerConcurrency 0 (unlimited). */
function defaultRevisionSpec(spec: RevisionSpec | undefined): void {
  if (!spec) return;
  spec.timeoutSeconds ??= REVISION_TIMEOUT_DEFAULT_SECONDS;
  spec.containerConcurrency ??= 0;
}

/** The problems of a RevisionSpec at `path`, with the annotations' autoscaling problems. */
export function validateRevisionSpec(spec: RevisionSpec | undefined, path: string, annotations: Record<string, string> = {}): FieldProblem[] {
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) return [{ path: `${path}.containers`, message: 'must list one container' }];
  const problems = validateContainer(containers[0], `${path}.containers[0]`);
  if (containers.length > 1) problems.push({ path: `${path}.containers`, message: 'Junction runs one container per revision (sidecars are not supported)' });
  const concurrency = spec!.containerConcurrency;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 0 || concurrency > CONTAINER_CONCURRENCY_MAX)) problems.push({ path: `${path}.containerConcurrency`, message: `must be an integer from 0 (unlimited) to ${CONTAINER_CONCURRENCY_MAX}` });
  const timeout = spec!.timeoutSeconds ?? REVISION_TIMEOUT_DEFAULT_SECONDS;
  for (const field of ['timeoutSeconds', 'responseStartTimeoutSeconds', 'idleTimeoutSeconds'] as const) {
    const value = spec![field];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0 || value > REVISION_TIMEOUT_MAX_SECONDS) problems.push({ path: `${path}.${field}`, message: `must be an integer from 0 to ${REVISION_TIMEOUT_MAX_SECONDS} seconds` });
    else if (field !== 'timeoutSeconds' && value > timeout) problems.push({ path: `${path}.${field}`, message: `must not exceed timeoutSeconds (${timeout})` });
  }
  problems.push(...deciderSpec(annotations, concurrency ?? 0, DEFAULT_AUTOSCALER_SETTINGS).problems.map((problem) => ({ ...problem, path: problem.path.replace(/^metadata\./, `${path.replace(/\.spec$/, '')}.metadata.`) })));
  return problems;
}

function templateOf(resource: Resource): { metadata?: { name?: string; annotations?: Record<string, string> }; spec?: RevisionSpec } | undefined {
  return (resource.spec as { template?: { metadata?: { name?: string; annotations?: Record<string, string> }; spec?: RevisionSpec } } | undefined)?.template;
}

function validateTemplate(resource: Resource): FieldProblem[] {
  const tpl = templateOf(resource);
  if (!tpl) return [{ path: 'spec.template', message: 'is required' }];
  return validateRevisionSpec(tpl.spec, 'spec.template.spec', { ...(resource.metadata.annotations ?? {}), ...(tpl.metadata?.annotations ?? {}) });
}

/** serving.knative.dev/v1 Service: a Configuration (its template) and a Route (its traffic) in one. */
export const serviceKind: KindDefinition = {
  group: GROUP,
  versions: ['v1'],
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['ksvc'],
  schema: { type: 'object', properties: { spec: { type: 'object', default: {}, properties: { template, traffic } } } },
  defaults(resource) {
    const spec = (resource.spec ??= {}) as { traffic?: unknown[] };
    defaultRevisionSpec(templateOf(resource)?.spec);
    if (spec.traffic === undefined || spec.traffic.length === 0) spec.traffic = DEFAULT_TRAFFIC.map((entry) => ({ ...entry }));
  },
  validate: (resource) => [...validateTemplate(resource), ...validateTraffic((resource.spec as { traffic?: unknown }).traffic)],
};

/** serving.knative.dev/v1 Configuration: every change of its template stamps a new Revision. */
export const configurationKind: KindDefinition = {
  group: GROUP,
  versions: ['v1'],
  kind: 'Configuration',
  plural: 'configurations',
  singular: 'configuration',
  shortNames: ['config', 'cfg'],
  schema: { type: 'object', properties: { spec: { type: 'object', default: {}, properties: { template } } } },
  defaults: (resource) => defaultRevisionSpec(templateOf(resource)?.spec),
  validate: validateTemplate,
};

/** serving.knative.dev/v1 Revision: an immutable snapshot of a Configuration's template. */
export const revisionKind: KindDefinition = {
  group: GROUP,
  versions: ['v1'],
  kind: 'Revision',
  plural: 'revisions',
  singular: 'revision',
  shortNames: ['rev'],
  schema: { type: 'object', properties: { spec: { type: 'object', default: {}, 'x-kubernetes-preserve-unknown-fields': true } } },
  immutableFields: [['spec']],
  defaults: (resource) => defaultRevisionSpec(resource.spec as RevisionSpec),
  validate: (resource) => validateRevisionSpec(resource.spec as RevisionSpec, 'spec', resource.metadata.annotations ?? {}),
};

/** serving.knative.dev/v1 Route: traffic split across revisions, tagged URLs. */
export const routeKind: KindDefinition = {
  group: GROUP,
  versions: ['v1'],
  kind: 'Route',
  plural: 'routes',
  singular: 'route',
  shortNames: ['rt'],
  schema: { type: 'object', properties: { spec: { type: 'object', default: {}, properties: { traffic } } } },
  validate: (resource) => validateTraffic((resource.spec as { traffic?: unknown }).traffic),
};

/** The serving module's kinds. */
export const servingKinds: readonly KindDefinition[] = [serviceKind, configurationKind, revisionKind, routeKind];
