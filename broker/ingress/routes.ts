import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseHttpEvents, type CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';
import { isBodyTooLarge, sendProblem } from '../http/problem.js';
import type { IngestOptions, IngestService } from '../ingest/ingest-service.js';
import type { Authorizer } from '../tenants/authorizer.js';
import { decodeContentEncoding } from './content-encoding.js';

/** What broker ingress needs from the rest of Junction. */
export interface IngressDependencies {
  /** Where accepted events go (quotas, trace context, durable append, refusal metrics). */
  ingest: IngestService;
  authorizer: Authorizer;
  maxBodyBytes: number;
  webhookAllowedRate: string;
}

type IngressRequest = FastifyRequest<{ Params: { namespace: string; broker: string }; Body: Buffer | undefined }>;

/**
 * `POST /{namespace}/{broker}` (and `/channels/{namespace}/{name}`): CloudEvents over HTTP (binary,
 * structured, batch). Answers 202 only once every event of the request is durable; otherwise nothing
 * of the request is stored.
 */
export async function registerIngress(app: FastifyInstance, deps: IngressDependencies): Promise<void> {
  await app.register(async (scope) => {
    // Ingress reads raw bytes for every content type: the HTTP binding decides what they mean.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxBodyBytes }, (_request, body, done) => done(null, body));
    // gzip bodies are decoded on the way in; the body limit counts the decoded bytes.
    scope.addHook('preParsing', decodeContentEncoding());
    // A body above the limit is an event too large here (elsewhere it is a control API request);
    // the parent error handler renders it.
    scope.setErrorHandler((error) => {
      throw isBodyTooLarge(error) ? createError('JUNCTION_EVENT_TOO_LARGE', `the request body is larger than ${deps.maxBodyBytes} bytes (ingress.maxBodyBytes)`) : error;
    });

    scope.post('/:namespace/:broker', { bodyLimit: deps.maxBodyBytes }, async (request: IngressRequest, reply) => {
      const { namespace, broker } = request.params;
      const parsed = accept(deps, request, namespace, () => deps.ingest.checkBroker(namespace, broker));
      await deps.ingest.toBroker(namespace, broker, parsed.events, parsed.options);
      return reply.code(202).send();
    });

    scope.post('/channels/:namespace/:broker', { bodyLimit: deps.maxBodyBytes }, async (request: IngressRequest, reply) => {
      const { namespace, broker: name } = request.params;
      const parsed = accept(deps, request, namespace, () => deps.ingest.checkChannel(namespace, name));
      await deps.ingest.toChannel(namespace, name, parsed.events, parsed.options);
      return reply.code(202).send();
    });

    // CloudEvents Web Hook abuse protection handshake (http-webhook.md §4).
    for (const url of ['/:namespace/:broker', '/channels/:namespace/:broker']) {
      scope.options(url, async (request: IngressRequest, reply: FastifyReply) => {
        const origin = request.headers['webhook-request-origin'];
        reply.header('allow', 'POST, OPTIONS');
        if (typeof origin === 'string' && origin !== '') {
          reply.header('webhook-allowed-origin', origin);
          reply.header('webhook-allowed-rate', deps.webhookAllowedRate);
        }
        return reply.code(200).send();
      });

      scope.route({
        method: ['GET', 'PUT', 'DELETE', 'PATCH'],
        url,
        handler: async (request, reply) => {
          reply.header('allow', 'POST, OPTIONS');
          return sendProblem(reply, createError('JUNCTION_METHOD_NOT_ALLOWED', `${request.method} is not allowed; send events with POST`), request.url);
        },
      });
    }
  });
}

/**
 * The edge of broker and channel ingress: auth, target lookup, then the HTTP binding; refusals
 * here are counted like the ingest service's own. The rest (quotas, trace context, append) is the
 * ingest service's.
 */
function accept(deps: IngressDependencies, request: IngressRequest, namespace: string, checkTarget: () => void): { events: CloudEvent[]; options: IngestOptions } {
  try {
    deps.authorizer.check(request.headers.authorization, namespace, 'ingest');
    checkTarget();
    const body = request.body ?? Buffer.alloc(0);
    // Node joins a repeated header into one `a, b` value; the binding must see each occurrence to
    // refuse a repeated context attribute (`ce-id` twice) instead of storing the joined text.
    const headers = request.raw.headersDistinct;
    const { events, mode } = parseHttpEvents(headers, body);
    // A binary-mode event is as large as the body that carried it; structured ones are measured as JSON.
    const eventBytes = mode === 'binary' ? events.map(() => body.length) : undefined;
    return { events, options: { traceHeaders: headers, eventBytes } };
  } catch (error) {
    deps.ingest.countRefusal(namespace, error);
    throw error;
  }
}
