import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createError } from '../../core/errors.js';
import type { KindDefinition, KindRegistry } from '../../core/resources/index.js';
import type { Authorizer } from '../tenants/authorizer.js';

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** One kind as Kubernetes' discovery (`APIResourceList.resources[]`) describes it. */
function apiResource(kind: KindDefinition) {
  return { name: kind.plural, singularName: kind.singular, namespaced: true, kind: kind.kind, verbs: VERBS, ...(kind.shortNames?.length ? { shortNames: kind.shortNames } : {}) };
}

/**
 * Kubernetes API discovery: `GET /apis` (APIGroupList), `GET /apis/{group}/{version}` and
 * `GET /api/v1` (APIResourceList). The CLI learns the kinds a server serves from it, so a kind
 * added to the server (a source, later serving) needs no second list in the CLI. Any valid token reads it.
 */
export async function registerDiscoveryRoutes(app: FastifyInstance, kinds: KindRegistry, authorizer: Authorizer): Promise<void> {
  const groups = () => {
    const byGroup = new Map<string, Set<string>>();
    for (const kind of kinds.all()) {
      if (kind.group === '') continue;
      const versions = byGroup.get(kind.group) ?? new Set<string>();
      for (const version of kind.versions) versions.add(version);
      byGroup.set(kind.group, versions);
    }
    return [...byGroup.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  const resourcesOf = (group: string, version: string) => kinds.all().filter((kind) => kind.group === group && kind.versions.includes(version));

  app.get('/apis', async (request: FastifyRequest) => {
    authorizer.authenticate(request.headers.authorization);
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups().map(([name, versions]) => {
        // Each group's first registered version of its first kind is the one Junction stores and prefers.
        const preferred = kinds.all().find((kind) => kind.group === name)?.versions[0] ?? [...versions][0];
        return { name, versions: [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version })), preferredVersion: { groupVersion: `${name}/${preferred}`, version: preferred } };
      }),
    };
  });

  app.get('/api/v1', async (request: FastifyRequest) => {
    authorizer.authenticate(request.headers.authorization);
    return { kind: 'APIResourceList', groupVersion: 'v1', resources: resourcesOf('', 'v1').map(apiResource) };
  });

  app.get('/apis/:group/:version', async (request: FastifyRequest<{ Params: { group: string; version: string } }>) => {
    authorizer.authenticate(request.headers.authorization);
    const { group, version } = request.params;
    const served = resourcesOf(group, version);
    if (served.length === 0) throw createError('JUNCTION_KIND_UNKNOWN', `the server does not serve ${group}/${version}`);
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources: served.map(apiResource) };
  });
}
