import type { FieldProblem } from '../../core/errors.js';
import type { Resource } from '../../core/resources/index.js';

/**
 * Annotation of a Broker or messaging Channel: `delete` (default) removes its events from the engine
 * with it, `retain` leaves them on an engine on a server (the same name picks them up again, as other
 * replicas sharing it keep using them). Embedded engines always delete: their names carry the uid.
 */
export const DELETION_POLICY_ANNOTATION = 'junction.dev/deletion-policy';

/** Admission check of the annotation's value. */
export function validateDeletionPolicy(resource: Resource): FieldProblem[] {
  const policy = resource.metadata.annotations?.[DELETION_POLICY_ANNOTATION];
  if (policy === undefined || policy === 'delete' || policy === 'retain') return [];
  return [{ path: `metadata.annotations.${DELETION_POLICY_ANNOTATION}`, message: 'must be "delete" or "retain"' }];
}

/** True when the resource's events stay on the engine after it is deleted. */
export function retainsEvents(resource: Resource): boolean {
  return resource.metadata.annotations?.[DELETION_POLICY_ANNOTATION] === 'retain';
}

