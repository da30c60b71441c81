import { createError } from '../errors.js';
import { decodeHttpMessage } from './http-decode.js';
import type { HttpHeaders } from './http-headers.js';
import type { CloudEvent } from './types.js';

/** The HTTP binding's content modes a receiver can be sent. */
export type HttpEventMode = 'binary' | 'structured' | 'batch';

/** The events an HTTP request carried, all valid, and the content mode they came in. */
export interface ParsedHttpEvents {
  events: CloudEvent[];
  mode: HttpEventMode;
}

/**
 * Reads the CloudEvent(s) of an HTTP request in binary, structured or batch mode and validates all
 * of them, all-or-nothing: throws JUNCTION_EVENT_INVALID listing every problem of every event
 * (batch paths prefixed `[i].`), or JUNCTION_UNSUPPORTED_MEDIA_TYPE for a non-JSON event format.
 */
export function parseHttpEvents(headers: HttpHeaders, body: Buffer): ParsedHttpEvents {
  const decoded = decodeHttpMessage(headers, body);
  if (decoded.mode === 'unsupported') {
    throw createError(
      'JUNCTION_UNSUPPORTED_MEDIA_TYPE',
      `event format ${decoded.essence} is not supported; send application/cloudevents+json, application/cloudevents-batch+json or binary mode`,
    );
  }
  const count = decoded.problems.length;
  if (count > 0) {
    const events = decoded.mode === 'batch' ? 'events' : 'event';
    throw createError('JUNCTION_EVENT_INVALID', `${count} ${count === 1 ? 'problem' : 'problems'} in the ${events}`, {
      problems: decoded.problems,
    });
  }
  return { events: decoded.events as CloudEvent[], mode: decoded.mode };
}
