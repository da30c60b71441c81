import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { createError, isJunctionError, toProblem, type JunctionError } from '../../core/errors.js';

/** Sends an error as `application/problem+json` (RFC 9457) with its catalog code and headers. */
export function sendProblem(reply: FastifyReply, error: unknown, instance?: string): FastifyReply {
  const problem = toProblem(error, instance);
  if (isJunctionError(error)) for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/** True for fastify's refusal of a body above the route's limit (raised before the body is read in full). */
export function isBodyTooLarge(error: unknown): boolean {
  return (error as FastifyError | undefined)?.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
}

/**
 * Maps fastify's own errors (body limits, bad JSON, bad URLs) onto the catalog. A body above the
 * limit is JUNCTION_RESOURCE_TOO_LARGE here: outside ingress (which says JUNCTION_EVENT_TOO_LARGE)
 * every body is a control API request.
 */
export function toJunctionError(error: unknown, bodyLimit?: number): JunctionError | undefined {
  if (isJunctionError(error)) return error;
  const fastifyError = error as FastifyError;
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return createError('JUNCTION_RESOURCE_TOO_LARGE', `the request body is larger than the control API accepts${bodyLimit ? ` (${bodyLimit} bytes, control.maxBodyBytes)` : ''}`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return createError('JUNCTION_UNSUPPORTED_MEDIA_TYPE', fastifyError.message);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return createError('JUNCTION_BAD_REQUEST', 'a segment of the URL path is longer than 512 characters');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return createError('JUNCTION_BAD_REQUEST', fastifyError.message);
  }
  if (fastifyError instanceof SyntaxError || fastifyError?.statusCode === 400) return createError('JUNCTION_BAD_REQUEST', fastifyError.message);
  return undefined;
}

/** Answers an error thrown by a route or by fastify as a problem document; unexpected ones are logged, never leaked. */
export function problemErrorHandler(logger: Logger) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const known = toJunctionError(error, request.routeOptions.bodyLimit);
    if (!known) logger.error({ err: error, method: request.method, url: request.url }, 'unexpected error');
    return sendProblem(reply, known ?? error, request.url);
  };
}

/** Installs problem+json error and not-found handlers; unexpected errors are logged, never leaked. */
export function installProblemHandlers(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler(problemErrorHandler(logger));
  app.setNotFoundHandler((request, reply) => sendProblem(reply, createError('JUNCTION_NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`), request.url));
}
