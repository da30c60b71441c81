import { isJunctionError } from '../../core/errors.js';
import type { JunctionClient } from '../client.js';
import { resourceTypes, typeByName, type ResourceType } from './resource-types.js';

interface GroupList {
  groups: Array<{ name: string; preferredVersion: { version: string } }>;
}
interface ResourceList {
  resources: Array<{ name: string; singularName?: string; kind: string; namespaced?: boolean; shortNames?: string[] }>;
}

/**
 * Every kind the server serves, from its discovery (`/apis`, `/apis/{group}/{version}`), in the
 * CLI's dependency order for the kinds it knows and the server's order for the rest. A server
 * without discovery (older) gets the CLI's own list.
 */
export async function discoverTypes(client: JunctionClient): Promise<ResourceType[]> {
  let groups: GroupList;
  try {
    groups = await client.call<GroupList>('GET', '/apis');
  } catch (error) {
    if (isJunctionError(error, 'JUNCTION_KIND_UNKNOWN') || isJunctionError(error, 'JUNCTION_RESOURCE_NOT_FOUND')) return [...resourceTypes];
    throw error;
  }
  const served: ResourceType[] = [];
  for (const group of groups.groups) {
    const list = await client.call<ResourceList>('GET', `/apis/${group.name}/${group.preferredVersion.version}`);
    for (const resource of list.resources) {
      served.push({ group: group.name, version: group.preferredVersion.version, kind: resource.kind, plural: resource.name, namespaced: resource.namespaced ?? true, aliases: [resource.singularName ?? resource.kind.toLowerCase(), ...(resource.shortNames ?? [])] });
    }
  }
  const known = resourceTypes.filter((type) => type.group === '' || served.some((s) => s.group === type.group && s.kind === type.kind));
  const added = served.filter((s) => !resourceTypes.some((type) => type.group === s.group && type.kind === s.kind));
  return [...known, ...added];
}

/** The type a user names: from the CLI's own list, else from the server's discovery (a kind this CLI does not know yet). */
export async function resolveType(client: JunctionClient, name: string): Promise<ResourceType> {
  try {
    return typeByName(name);
  } catch (error) {
    if (!isJunctionError(error, 'JUNCTION_KIND_UNKNOWN')) throw error;
    const types = await discoverTypes(client).catch(() => undefined);
    if (!types) throw error;
    return typeByName(name, types);
  }
}
