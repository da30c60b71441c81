import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createError } from '../../core/errors.js';
import type { Authorizer } from '../tenants/authorizer.js';
import { ALL_NAMESPACES, CLUSTER_ONLY_ROLES, ROLES, type Role, type TokenStore } from '../tenants/tokens.js';
import { checkNamespace } from './namespace-param.js';

type TokenRequest = FastifyRequest<{ Params: { namespace?: string; id?: string }; Body: { role?: string; description?: string } | undefined }>;

/**
 * Token management (admin role): per namespace under `/apis/junction.dev/v1/namespaces/:namespace/tokens`,
 * cluster-wide (namespace `*`, cluster admins only) under `/apis/junction.dev/v1/tokens`: create (the
 * plain token is returned once), list, revoke.
 */
export async function registerTokenRoutes(app: FastifyInstance, tokens: TokenStore, authorizer: Authorizer): Promise<void> {
  const namespaceOf = (request: TokenRequest) => request.params.namespace ?? ALL_NAMESPACES;
  // Without a namespace in the path, check() asks for a cluster-wide admin token.
  const checkAdmin = (request: TokenRequest) => {
    authorizer.check(request.headers.authorization, request.params.namespace, 'write');
    if (request.params.namespace !== undefined) checkNamespace(request.params.namespace);
  };
  for (const base of ['/apis/junction.dev/v1/namespaces/:namespace/tokens', '/apis/junction.dev/v1/tokens']) {
    app.post(base, async (request: TokenRequest, reply) => {
      checkAdmin(request);
      const namespace = namespaceOf(request);
      const role = request.body?.role;
      if (typeof role !== 'string' || !ROLES.includes(role as Role)) throw createError('JUNCTION_BAD_REQUEST', `role must be one of ${ROLES.join(', ')}`);
      if (namespace !== ALL_NAMESPACES && CLUSTER_ONLY_ROLES.includes(role as Role)) {
        throw createError('JUNCTION_BAD_REQUEST', `role ${role} is cluster-wide: create it with POST /apis/junction.dev/v1/tokens (junction token create --all-namespaces)`);
      }
      const created = tokens.create(namespace, role as Role, String(request.body?.description ?? ''));
      return reply.code(201).send({ ...created.info, token: created.token });
    });
    app.get(base, async (request: TokenRequest) => {
      checkAdmin(request);
      return { items: tokens.list(namespaceOf(request)) };
    });
    app.delete(`${base}/:id`, async (request: TokenRequest) => {
      checkAdmin(request);
      tokens.revoke(namespaceOf(request), request.params.id!);
      return { status: 'Success', id: request.params.id };
    });
  }
}
