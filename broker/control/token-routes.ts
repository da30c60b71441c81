import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createError } from '../../core/errors.js';
import type { Authorizer } from '../tenants/authorizer.js';
import { ROLES, type Role, type TokenStore } from '../tenants/tokens.js';
import { checkNamespace } from './namespace-param.js';

type TokenRequest = FastifyRequest<{ Params: { namespace: string; id?: string }; Body: { role?: string; description?: string } | undefined }>;

/** Token management per namespace (admin role): create (the plain token is returned once), list, revoke. */
export async function registerTokenRoutes(app: FastifyInstance, tokens: TokenStore, authorizer: Authorizer): Promise<void> {
  const base = '/apis/junction.dev/v1/namespaces/:namespace/tokens';
  app.post(base, async (request: TokenRequest, reply) => {
    authorizer.check(request.headers.authorization, request.params.namespace, 'write');
    checkNamespace(request.params.namespace);
    const role = request.body?.role;
    if (typeof role !== 'string' || !ROLES.includes(role as Role)) throw createError('JUNCTION_BAD_REQUEST', `role must be one of ${ROLES.join(', ')}`);
    const created = tokens.create(request.params.namespace, role as Role, String(request.body?.description ?? ''));
    return reply.code(201).send({ ...created.info, token: created.token });
  });
  app.get(base, async (request: TokenRequest) => {
    authorizer.check(request.headers.authorization, request.params.namespace, 'write');
    checkNamespace(request.params.namespace);
    return { items: tokens.list(request.params.namespace) };
  });
  app.delete(`${base}/:id`, async (request: TokenRequest) => {
    authorizer.check(request.headers.authorization, request.params.namespace, 'write');
    checkNamespace(request.params.namespace);
    tokens.revoke(request.params.namespace, request.params.id!);
    return { status: 'Success', id: request.params.id };
  });
}
