import type { Resource } from '../../core/resources/index.js';

/** Kubernetes-style owner reference, as flows put on the channels and subscriptions they create. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

/** The owner references of a resource (empty when none). */
export function ownersOf(resource: Resource): OwnerReference[] {
  const owners = resource.metadata.ownerReferences;
  return Array.isArray(owners) ? (owners as OwnerReference[]) : [];
}

/** True when `resource` is owned by the object with `uid`. */
export function isOwnedBy(resource: Resource, uid: string | undefined): boolean {
  return uid !== undefined && ownersOf(resource).some((owner) => owner.uid === uid);
}
