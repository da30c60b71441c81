import type { FastifyInstance } from 'fastify';
import type { BrokerMetrics } from '../metrics.js';
import type { Authorizer } from '../tenants/authorizer.js';

/**
 * `/healthz` (process alive), `/readyz` (accepting events) and `/metrics` (Prometheus). With auth on,
 * `/metrics` shows every namespace: it needs a cluster-wide `metrics` or `admin` token.
 */
export async function registerOpsRoutes(app: FastifyInstance, metrics: BrokerMetrics, isReady: () => boolean, authorizer: Authorizer): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => (isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'not ready' })));
  app.get('/metrics', async (request, reply) => {
    authorizer.check(request.headers.authorization, undefined, 'scrape');
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
