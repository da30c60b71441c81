import type { FastifyInstance } from 'fastify';
import type { BrokerMetrics } from '../metrics.js';

/** `/healthz` (process alive), `/readyz` (accepting events) and `/metrics` (Prometheus). */
export async function registerOpsRoutes(app: FastifyInstance, metrics: BrokerMetrics, isReady: () => boolean): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => (isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'not ready' })));
  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
