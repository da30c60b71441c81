import type { FastifyInstance } from 'fastify';
import { createError } from '../../core/errors.js';
import type { StorageFailure } from '../../core/storage/index.js';
import type { BrokerMetrics } from '../metrics.js';
import type { Authorizer } from '../tenants/authorizer.js';
import { sendProblem } from './problem.js';

/**
 * `/healthz` (process alive), `/readyz` (accepting events: started, not draining, and every store of
 * the data dir writable, else 503 JUNCTION_STORAGE_UNAVAILABLE naming them) and `/metrics`
 * (Prometheus). With auth on, `/metrics` shows every namespace: it needs a cluster-wide `metrics` or `admin` token.
 */
export async function registerOpsRoutes(
  app: FastifyInstance,
  metrics: BrokerMetrics,
  isReady: () => boolean,
  authorizer: Authorizer,
  storageFailures: () => StorageFailure[] = () => [],
): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    if (!isReady()) return reply.code(503).send({ status: 'not ready' });
    const failures = storageFailures();
    if (failures.length === 0) return { status: 'ready' };
    const detail = `storage cannot be written: ${failures.map((failure) => `${failure.store} (${failure.reason})`).join(', ')}`;
    return sendProblem(reply, createError('JUNCTION_STORAGE_UNAVAILABLE', detail, { extra: { storage: failures } }), request.url);
  });
  app.get('/metrics', async (request, reply) => {
    authorizer.check(request.headers.authorization, undefined, 'scrape');
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
