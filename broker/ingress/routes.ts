import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adoptTraceContext, parseHttpEvents, type CloudEvent } from '../../core/cloudevent/index.js';
import { createError, isJunctionError } from '../../core/errors.js';
import { isBodyTooLarge, sendProblem } from '../http/problem.js';
import type { BrokerMetrics } from '../metrics.js';
import type { ChannelPlane } from '../messaging/channel-plane.js';
import type { BrokerPlane } from '../runtime/broker-plane.js';
import type { Authorizer } from '../tenants/authorizer.js';
import type { Quotas } from '../tenants/quotas.js';
import { decodeContentEncoding } from './content-encoding.js';

/** What broker ingress needs from the rest of Junction. */
export interface IngressDependencies {
  plane: BrokerPlane;
  /** Channel ingress at `/channels/{namespace}/{name}` when given. */
  channels?: ChannelPlane;
  authorizer: Authorizer;
  quotas: Quotas;
  metrics: BrokerMetrics;
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
      await accept(deps, request, namespace, () => {
        const instance = deps.plane.get(namespace, broker);
        if (!instance) throw createError('JUNCTION_BROKER_NOT_FOUND', `broker ${namespace}/${broker} does not exist`);
        if (!instance.dispatcher) throw createError('JUNCTION_BROKER_NOT_READY', `broker ${namespace}/${broker} is not ready: ${instance.notReady?.message ?? 'starting'}`);
        return (events) => deps.plane.ingest(namespace, broker, events);
      });
      return reply.code(202).send();
    });

    if (deps.channels) {
      const channels = deps.channels;
      scope.post('/channels/:namespace/:broker', { bodyLimit: deps.maxBodyBytes }, async (request: IngressRequest, reply) => {
        const { namespace, broker: name } = request.params;
        await accept(deps, request, namespace, () => {
          const instance = channels.get(namespace, name);
          if (!instance) throw createError('JUNCTION_CHANNEL_NOT_FOUND', `channel ${namespace}/${name} does not exist`);
          return (events) => channels.ingest(namespace, name, events);
        });
        return reply.code(202).send();
      });
    }

    // CloudEvents Web Hook abuse protection handshake (http-webhook.md §4).
    for (const url of deps.channels ? ['/:namespace/:broker', '/channels/:namespace/:broker'] : ['/:namespace/:broker']) {
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
 * The shared path of broker and channel ingress: auth, target lookup, HTTP binding, quotas, trace
 * context, then the durable append; refusals are counted by problem code.
 */
async function accept(
  deps: IngressDependencies,
  request: IngressRequest,
  namespace: string,
  target: () => (events: CloudEvent[]) => Promise<unknown>,
): Promise<void> {
  try {
    deps.authorizer.check(request.headers.authorization, namespace, 'ingest');
    const ingest = target();
    const body = request.body ?? Buffer.alloc(0);
    // Node joins a repeated header into one `a, b` value; the binding must see each occurrence to
    // refuse a repeated context attribute (`ce-id` twice) instead of storing the joined text.
    const headers = request.raw.headersDistinct;
    const { events, mode } = parseHttpEvents(headers, body);
    if (deps.quotas.limits(namespace).maxEventBytes !== undefined) {
      for (const event of events) deps.quotas.checkEventSize(namespace, mode === 'binary' ? body.length : Buffer.byteLength(JSON.stringify(event)));
    }
    deps.quotas.takeIngest(namespace, events.length);
    adoptTraceContext(events, headers);
    await ingest(events);
  } catch (error) {
    // Only namespaces that exist become label values: made-up ones all count as one.
    deps.metrics.rejected.inc({ namespace: deps.metrics.refusalNamespace(namespace), code: isJunctionError(error) ? error.code : 'JUNCTION_INTERNAL' });
    throw error;
  }
}
