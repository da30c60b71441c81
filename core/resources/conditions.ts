import type { Condition, Resource } from './types.js';

/** Sets (or replaces) one condition, keeping lastTransitionTime when the status did not change. */
export function setCondition(conditions: Condition[] | undefined, next: Omit<Condition, 'lastTransitionTime'>): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? list[index] : undefined;
  const lastTransitionTime =
    previous && previous.status === next.status && previous.lastTransitionTime ? previous.lastTransitionTime : new Date().toISOString();
  const condition: Condition = { ...next, lastTransitionTime };
  if (condition.reason === undefined) delete condition.reason;
  if (condition.message === undefined) delete condition.message;
  if (index >= 0) list[index] = condition;
  else list.push(condition);
  return list;
}

/** The condition of a type on a resource, if any. */
export function getCondition(resource: Resource, type: string): Condition | undefined {
  return resource.status?.conditions?.find((c) => c.type === type);
}

/** True when the resource's Ready condition is True. */
export function isReady(resource: Resource): boolean {
  return getCondition(resource, 'Ready')?.status === 'True';
}
