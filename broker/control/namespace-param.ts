import { createError } from '../../core/errors.js';
import { namespaceProblem } from '../../core/resources/index.js';

/**
 * Throws JUNCTION_BAD_REQUEST for a namespace in a URL that no resource could have (not a DNS
 * label), so `GET /namespaces/Bad_NS/…` is refused as a write with it would be, not an empty list.
 */
export function checkNamespace(namespace: string | undefined): void {
  const problem = namespace === undefined ? undefined : namespaceProblem(namespace);
  if (problem) throw createError('JUNCTION_BAD_REQUEST', `namespace "${namespace}" in the URL is invalid: ${problem.message}`, { problems: [problem] });
}
