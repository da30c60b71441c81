import type { FastifyInstance } from 'fastify';
import { createError } from '../../core/errors.js';

/**
 * Answers every request that arrives once `isClosing()` holds (on a keep-alive connection opened
 * before the shutdown began) with 503 JUNCTION_SHUTTING_DOWN as a problem document, and closes
 * the connection after it, so clients retry elsewhere. Requests already running are left to finish.
 */
export function refuseWhileClosing(app: FastifyInstance, isClosing: () => boolean): void {
  app.addHook('onRequest', async (_request, reply) => {
    if (!isClosing()) return;
    reply.header('connection', 'close');
    throw createError('JUNCTION_SHUTTING_DOWN', 'Junction is shutting down: retry against another instance or later');
  });
}
