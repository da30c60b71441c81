import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../../broker/index.js';
import { createError, isJunctionError, type ErrorCode } from '../../core/errors.js';
import type { KeyValueStore } from '../../core/storage/index.js';
import { stateBucket } from '../framework/adapter.js';
import { toCloudEvent } from '../framework/events.js';
import type { SourceMetrics } from '../framework/metrics.js';
import type { PushEndpoint, PushEndpoints } from './endpoints.js';
import type { HandshakeAnswer, RefusalReason, WebhookContext, WebhookRequest } from './types.js';

/** What the push-source route needs. */
export interface WebhookRouteDependencies {
  endpoints: PushEndpoints;
  kv: KeyValueStore;
  metrics: SourceMetrics;
  /** The largest body any push kind accepts (the route's hard limit; each kind's own is checked first). */
  maxBodyBytes: number;
  now?: () => number;
}

type PushRequest = FastifyRequest<{ Params: { namespace: string; name: string }; Body: Buffer | undefined }>;

const REFUSAL_CODES: Record<RefusalReason, ErrorCode> = {
  missing: 'JUNCTION_WEBHOOK_SIGNATURE_MISSING',
  invalid: 'JUNCTION_WEBHOOK_SIGNATURE_INVALID',
  stale: 'JUNCTION_WEBHOOK_TIMESTAMP_STALE',
};

/**
 * `POST /sources/{namespace}/{name}`: raw bytes → verify → handshake → dedupe → map → sink → 2xx.
 * The provider gets its 2xx only once the sink accepted the events (durable in a broker or
 * channel); a redelivery of a delivery id already accepted gets 200 without a second event.
 */
export async function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDependencies): Promise<void> {
  const now = deps.now ?? Date.now;
  // Deliveries being sent now, so a concurrent retry of the same id waits instead of emitting twice.
  const inFlight = new Map<string, Promise<void>>();

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxBodyBytes }, (_request, body, done) => done(null, body));
    // Each kind's own body limit, before the bytes are read (or while they stream in, when chunked).
    scope.addHook('preParsing', async (request: PushRequest, _reply, payload) => {
      const endpoint = deps.endpoints.get(request.params.namespace, request.params.name);
      if (!endpoint) return payload;
      const encoding = request.headers['content-encoding'];
      if (encoding !== undefined && encoding !== '' && encoding.toLowerCase() !== 'identity') {
        throw createError('JUNCTION_CONTENT_ENCODING_UNSUPPORTED', `content-encoding "${encoding}" is not supported by push sources`);
      }
      const length = request.headers['content-length'];
      const declared = length === undefined ? undefined : Number(length);
      if (declared !== undefined && declared > endpoint.maxBodyBytes) throw tooLarge(endpoint);
      // A declared length is all Node's parser lets through; only a chunked body is counted as it streams.
      return declared !== undefined && Number.isInteger(declared) ? payload : payload.pipe(limitBytes(endpoint));
    });
    scope.setErrorHandler((error, request, reply) => {
      const known = isJunctionError(error) ? error : (error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? createError('JUNCTION_EVENT_TOO_LARGE', `the request body is larger than ${deps.maxBodyBytes} bytes`) : error;
      return sendProblem(reply, known, request.url);
    });

    scope.post('/sources/:namespace/:name', async (request: PushRequest, reply) => {
      const { namespace, name } = request.params;
      const endpoint = deps.endpoints.get(namespace, name);
      if (!endpoint) {
        const reason = deps.endpoints.notReadyReason(namespace, name);
        if (reason === undefined) throw createError('JUNCTION_SOURCE_NOT_FOUND', `no push source ${namespace}/${name}`);
        reply.header('retry-after', '10');
        throw createError('JUNCTION_SOURCE_NOT_READY', `source ${namespace}/${name} is not ready: ${reason}`);
      }
      const count = (outcome: string) => deps.metrics.webhooks.inc({ namespace, source: name, kind: endpoint.kind, outcome });
      const webhook: WebhookRequest = { method: request.method, url: signedUrl(request, endpoint), headers: request.headers as Record<string, string>, body: request.body ?? Buffer.alloc(0) };
      const context: WebhookContext = { namespace, name, spec: endpoint.spec, toleranceSeconds: endpoint.toleranceSeconds, now: now() };
      let credentials;
      try {
        credentials = endpoint.credentials();
      } catch (error) {
        count('not_ready');
        reply.header('retry-after', '10');
        throw error;
      }

      const verdict = await endpoint.provider.verify(webhook, credentials, context);
      if (!verdict.ok) {
        count(`refused_${verdict.reason}`);
        throw createError(REFUSAL_CODES[verdict.reason], verdict.message);
      }
      const handshake = await endpoint.provider.handshake?.(webhook, credentials, context);
      if (handshake) {
        count('handshake');
        return answer(reply, handshake);
      }
      let mapped;
      try {
        mapped = endpoint.provider.map(webhook, context);
      } catch (error) {
        count('payload_invalid');
        throw isJunctionError(error) ? error : createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', (error as Error).message);
      }

      const bucket = stateBucket('dedupe', namespace, endpoint.kind, name);
      const flightKey = `${bucket}\n${mapped.deliveryId}`;
      for (let pending = inFlight.get(flightKey); pending; pending = inFlight.get(flightKey)) await pending.catch(() => undefined);
      if (deps.kv.get(bucket, mapped.deliveryId) !== undefined) {
        count('duplicate');
        const acknowledgement = endpoint.provider.acknowledge?.(webhook, { events: 0, duplicate: true });
        return acknowledgement ? answer(reply, acknowledgement) : reply.code(200).send({ accepted: 0, duplicate: true });
      }
      const events = mapped.events.map((event) => toCloudEvent(event, endpoint.overrides));
      const sending = (async () => {
        if (events.length > 0) await endpoint.sink.send(events);
        // Remembered only once the sink holds the events, and batched with other deliveries' keys
        // (one commit for many): a crash before that commit means the provider's retry is sent
        // again (at least once), never that an event is lost.
        deps.kv.setBatched(bucket, mapped.deliveryId, String(now()), endpoint.dedupeWindowMs);
      })();
      inFlight.set(flightKey, sending);
      try {
        await sending;
      } catch (error) {
        count('sink_failed');
        throw isJunctionError(error) ? error : createError('JUNCTION_SINK_UNAVAILABLE', `the sink did not accept the events: ${(error as Error).message}`);
      } finally {
        inFlight.delete(flightKey);
      }
      count('accepted');
      if (events.length > 0) deps.metrics.emitted.inc({ namespace, source: name, kind: endpoint.kind }, events.length);
      const acknowledgement = endpoint.provider.acknowledge?.(webhook, { events: events.length, duplicate: false });
      return acknowledgement ? answer(reply, acknowledgement) : reply.code(200).send({ accepted: events.length });
    });

    scope.route({
      method: ['GET', 'PUT', 'DELETE', 'PATCH'],
      url: '/sources/:namespace/:name',
      handler: async (request, reply) => {
        reply.header('allow', 'POST');
        return sendProblem(reply, createError('JUNCTION_METHOD_NOT_ALLOWED', `${request.method} is not allowed; providers POST webhooks here`), request.url);
      },
    });
  });
}

/** The URL the provider signed: `spec.publicUrl` (with the query as received) when set, else the URL as received. */
function signedUrl(request: FastifyRequest, endpoint: PushEndpoint): string {
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  const publicUrl = endpoint.spec.publicUrl;
  if (typeof publicUrl === 'string') return publicUrl.includes('?') ? publicUrl : `${publicUrl}${query}`;
  return `${request.protocol}://${request.host}${request.url}`;
}

function answer(reply: FastifyReply, handshake: HandshakeAnswer): FastifyReply {
  reply.code(handshake.status);
  for (const [header, value] of Object.entries(handshake.headers ?? {})) reply.header(header, value);
  if (handshake.body === undefined) return reply.send();
  if (typeof handshake.body === 'string') {
    if (!reply.hasHeader('content-type')) reply.type('text/plain; charset=utf-8');
    return reply.send(handshake.body);
  }
  return reply.type('application/json').send(JSON.stringify(handshake.body));
}

function tooLarge(endpoint: PushEndpoint) {
  return createError('JUNCTION_EVENT_TOO_LARGE', `the request body is larger than ${endpoint.maxBodyBytes} bytes (the ${endpoint.kind} limit)`);
}

/** Passes bytes through, failing with 413 once more than the kind's limit arrived (chunked bodies). */
function limitBytes(endpoint: PushEndpoint): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > endpoint.maxBodyBytes) callback(tooLarge(endpoint));
      else callback(null, chunk);
    },
  });
}
