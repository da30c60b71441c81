import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { createError, isJunctionError, toProblem, type JunctionError } from '../../core/errors.js';

/** Sends an error as `application/problem+json` (RFC 9457) with its catalog code and headers. */
export function sendProblem(reply: FastifyReply, error: unknown, instance?: string): FastifyReply {
  const problem = toProblem(error, instance);
  if (isJunctionError(error)) for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/** Maps fastify's own errors (body limits, bad JSON) onto the catalog. */
export function toJunctionError(error: unknown): JunctionError | undefined {
  if (isJunctionError(error)) return error;
  const fastifyError = error as FastifyError;
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return createError('JUNCTION_EVENT_TOO_LARGE', fastifyError.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return createError('JUNCTION_UNSUPPORTED_MEDIA_TYPE', fastifyError.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return createError('JUNCTION_BAD_REQUEST', fastifyError.message);
  }
  if (fastifyError instanceof SyntaxError || fastifyError?.statusCode === 400) return createError('JUNCTION_BAD_REQUEST', fastifyError.message);
  return undefined;
}

/** Installs problem+json error and not-found handlers; unexpected errors are logged, never leaked. */
export function installProblemHandlers(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const known = toJunctionError(error);
    if (!known) logger.error({ err: error, method: request.method, url: request.url }, 'unexpected error');
    return sendProblem(reply, known ?? error, request.url);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, createError('JUNCTION_NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`), request.url));
}
