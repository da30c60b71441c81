import { validateTriggerFilter } from '../../broker/index.js';
import type { FieldProblem } from '../../core/errors.js';

/** A Kubernetes label selector: `matchLabels` and `matchExpressions` (In, NotIn, Exists, DoesNotExist), all must hold. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

/** One `spec.resources[]` entry: the objects of a kind (in the source's namespace) that are watched. */
export interface WatchedResource {
  apiVersion: string;
  kind: string;
  selector?: LabelSelector;
}

/** `spec` of sources.knative.dev/v1 ApiServerSource, plus Junction's `kubeconfig` (watch a real cluster). */
export interface ApiServerSpec {
  resources: WatchedResource[];
  /** `Reference` (default): data is `{apiVersion, kind, name, namespace}`; `Resource`: data is the object. */
  mode?: 'Reference' | 'Resource';
  /** Only objects with an ownerReference of this kind (and apiVersion, when set). */
  owner?: { apiVersion?: string; kind: string };
  /** Knative's new-style filters, applied to each event before it is sent. */
  filters?: unknown[];
  /** Accepted for Knative's YAML; Junction uses its own (or the kubeconfig's) credentials. */
  serviceAccountName?: string;
  /** Junction: watch a Kubernetes cluster with the kubeconfig a Secret holds, instead of Junction's own resources. */
  kubeconfig?: { secretKeyRef: { name: string; key: string }; namespace?: string };
}

const selectorSchema = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: {
          key: { type: 'string', minLength: 1 },
          operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};

/** JSON Schema of the spec fields (the common `sink` and `ceOverrides` are added by the registry). */
export const apiServerSpecProperties: Record<string, unknown> = {
  resources: {
    type: 'array',
    minItems: 1,
    items: {
      type: 'object',
      required: ['apiVersion', 'kind'],
      properties: { apiVersion: { type: 'string', minLength: 1 }, kind: { type: 'string', minLength: 1 }, selector: selectorSchema },
    },
  },
  mode: { type: 'string', enum: ['Reference', 'Resource'] },
  owner: { type: 'object', required: ['kind'], properties: { apiVersion: { type: 'string' }, kind: { type: 'string', minLength: 1 } } },
  filters: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  serviceAccountName: { type: 'string' },
  namespaceSelector: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  kubeconfig: {
    type: 'object',
    required: ['secretKeyRef'],
    properties: {
      secretKeyRef: { type: 'object', required: ['name', 'key'], properties: { name: { type: 'string', minLength: 1 }, key: { type: 'string', minLength: 1 } } },
      namespace: { type: 'string', minLength: 1 },
    },
  },
};

/** Semantic checks beyond the schema: selector values per operator, the filters' dialects, no namespaceSelector. */
export function validateApiServerSpec(spec: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const resources = Array.isArray(spec.resources) ? (spec.resources as WatchedResource[]) : [];
  resources.forEach((resource, index) => {
    (resource.selector?.matchExpressions ?? []).forEach((expression, at) => {
      const path = `spec.resources[${index}].selector.matchExpressions[${at}].values`;
      const count = expression.values?.length ?? 0;
      if ((expression.operator === 'In' || expression.operator === 'NotIn') && count === 0) problems.push({ path, message: `must not be empty with operator ${expression.operator}` });
      if ((expression.operator === 'Exists' || expression.operator === 'DoesNotExist') && count > 0) problems.push({ path, message: `must be empty with operator ${expression.operator}` });
    });
  });
  if (spec.namespaceSelector !== undefined) {
    problems.push({ path: 'spec.namespaceSelector', message: "is not supported: a source watches its own namespace only (or spec.kubeconfig.namespace in a cluster)" });
  }
  if (Array.isArray(spec.filters)) problems.push(...validateTriggerFilter({ filters: spec.filters }, 'spec'));
  return problems;
}
