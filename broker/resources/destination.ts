import type { FieldProblem } from '../../core/errors.js';

/** Knative's duck-typed Destination: a `ref` to an addressable resource and/or a `uri`. */
export interface Destination {
  ref?: { apiVersion: string; kind: string; name: string; namespace?: string };
  uri?: string;
}

/**
 * A ref into another namespace, from an object in `namespace`: Knative refuses it ("mismatched
 * namespaces"), and in Junction each namespace is a tenant whose deliveries cannot enter another.
 */
export function refNamespaceProblems(value: unknown, path: string, namespace: string): FieldProblem[] {
  const ref = (value as Destination | undefined)?.ref as { namespace?: unknown } | undefined;
  if (typeof ref !== 'object' || ref === null || ref.namespace === undefined || ref.namespace === namespace) return [];
  return [{ path: `${path}.ref.namespace`, message: `mismatched namespaces: must be empty or "${namespace}", the namespace of this resource` }];
}

/**
 * Every problem of a Destination, Knative's rules: ref or uri required; a uri alone must be
 * absolute; with `namespace` (the referring object's), a ref stays in that namespace.
 */
export function validateDestination(value: unknown, path: string, namespace?: string): FieldProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ path, message: 'must be an object with ref and/or uri' }];
  const destination = value as Destination;
  const problems: FieldProblem[] = [];
  if (destination.ref === undefined && destination.uri === undefined) problems.push({ path, message: 'expected at least one of ref, uri' });
  if (destination.ref !== undefined) {
    const ref = destination.ref as unknown as Record<string, unknown>;
    for (const field of ['apiVersion', 'kind', 'name']) {
      if (typeof ref[field] !== 'string' || ref[field] === '') problems.push({ path: `${path}.ref.${field}`, message: 'required field is missing' });
    }
    if (namespace !== undefined) problems.push(...refNamespaceProblems(destination, path, namespace));
  }
  if (destination.uri !== undefined) {
    if (typeof destination.uri !== 'string' || destination.uri === '') problems.push({ path: `${path}.uri`, message: 'must be a non-empty string' });
    else if (destination.ref === undefined) {
      let url: URL | undefined;
      try {
        url = new URL(destination.uri);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) problems.push({ path: `${path}.uri`, message: 'must be an absolute http(s) URL when no ref is given' });
    }
  }
  return problems;
}
