import type { FieldProblem } from '../errors.js';
import { decodeHttpMessage } from './http-decode.js';
import { contentTypeHeader, hasCeHeader, type HttpHeaders } from './http-headers.js';
import type { CloudEvent } from './types.js';

/** What a subscriber's answer means for the broker: no reply event, a reply event, or a broken claim to one. */
export type ReplyResult =
  | { kind: 'none' }
  | { kind: 'event'; event: CloudEvent }
  | { kind: 'invalid'; problems: FieldProblem[] };

const CLOUDEVENTS_MEDIA_TYPE = /^\s*application\/cloudevents/i;

/**
 * Reads a subscriber's response. A 2xx response with any `ce-` header or a CloudEvents content type
 * claims to carry a reply event and must be a valid one (an empty batch means no reply; a batch of
 * more than one event is invalid). Anything else, including non-2xx answers, carries no reply.
 */
export function parseReply(statusCode: number, headers: HttpHeaders, body: Buffer): ReplyResult {
  if (statusCode < 200 || statusCode > 299) return { kind: 'none' };
  const contentType = contentTypeHeader(headers);
  const structured = contentType !== undefined && CLOUDEVENTS_MEDIA_TYPE.test(contentType);
  if (!structured && !hasCeHeader(headers)) return { kind: 'none' };

  const decoded = decodeHttpMessage(headers, body);
  if (decoded.mode === 'unsupported') {
    return { kind: 'invalid', problems: [{ path: 'content-type', message: `event format ${decoded.essence} is not supported` }] };
  }
  if (decoded.problems.length > 0) return { kind: 'invalid', problems: decoded.problems };
  if (decoded.events.length === 0) return { kind: 'none' };
  if (decoded.events.length > 1) {
    return { kind: 'invalid', problems: [{ path: 'body', message: `a reply carries at most one event, got a batch of ${decoded.events.length}` }] };
  }
  return { kind: 'event', event: decoded.events[0] as CloudEvent };
}
