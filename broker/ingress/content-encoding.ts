import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyRequest, preParsingAsyncHookHandler } from 'fastify';
import { createError } from '../../core/errors.js';

/** Content codings ingress decodes (RFC 9110 §8.4.1); `identity` means none. */
const decodable = new Set(['gzip', 'x-gzip']);

/** The codings of a `Content-Encoding` header, in the order they were applied; [] for none or identity. */
function codingsOf(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
}

/**
 * A preParsing hook that gunzips `Content-Encoding: gzip` bodies as they arrive, so the route's
 * body limit applies to the decoded bytes: a gzip bomb is a 413 once the limit is passed, and
 * decoding stops there. Any other coding is a 415 with `Accept-Encoding: gzip`.
 */
export function decodeContentEncoding(): preParsingAsyncHookHandler {
  return async (request: FastifyRequest, _reply, payload) => {
    const codings = codingsOf(request.headers['content-encoding']);
    if (codings.length === 0) return payload;
    const unsupported = codings.find((coding) => !decodable.has(coding));
    if (unsupported) {
      throw createError('JUNCTION_CONTENT_ENCODING_UNSUPPORTED', `content-encoding "${unsupported}" is not supported; send gzip or no content-encoding`, {
        headers: { 'accept-encoding': 'gzip' },
      });
    }
    const limit = request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY;
    let body: Readable = payload;
    for (let layer = 0; layer < codings.length; layer += 1) body = gunzipped(body, limit);
    // fastify compares Content-Length with what came over the wire (Node's parser already holds the body to it).
    (body as Readable & { receivedEncodedLength?: number }).receivedEncodedLength = Number(request.headers['content-length'] ?? 0);
    return body;
  };
}

/** `input` gunzipped, failing with a catalog error on bad gzip, and with a 413 once more than `limit` bytes came out. */
function gunzipped(input: Readable, limit: number): Readable {
  const gunzip = createGunzip();
  let produced = 0;
  const output = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      produced += chunk.length;
      if (produced <= limit) return callback(null, chunk);
      input.unpipe(gunzip);
      gunzip.destroy();
      callback(createError('JUNCTION_EVENT_TOO_LARGE', `the decompressed body is larger than the limit of ${limit} bytes`));
    },
  });
  gunzip.on('error', (error) => output.destroy(createError('JUNCTION_BAD_REQUEST', `the body is not valid gzip: ${error.message}`)));
  input.on('error', (error) => output.destroy(error));
  // fastify may refuse the request before reading the body (a Content-Length over the limit): then
  // no one listens, and the failure only ends the decoding.
  output.on('error', () => undefined);
  input.pipe(gunzip).pipe(output);
  return output;
}
