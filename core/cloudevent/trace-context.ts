import type { HttpHeaders } from './http-headers.js';
import type { CloudEvent } from './types.js';

/**
 * W3C Trace Context `traceparent` (version-traceid-parentid-flags, lower-case hex; later versions
 * may append fields). Version ff and all-zero ids are invalid (Trace Context §3.2.2).
 */
const TRACEPARENT = /^(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}(-[\x21-\x7e]*)?$/;
/** A non-empty `tracestate` list as an HTTP header may carry it: printable ASCII only. */
const TRACESTATE = /^[\x20-\x7e]+$/;

/** True when `value` is a W3C `traceparent` that may be sent as an HTTP header. */
export function isTraceparent(value: unknown): value is string {
  return typeof value === 'string' && TRACEPARENT.test(value);
}

/**
 * Gives events that carry no Distributed Tracing extension the trace context of the HTTP request
 * that brought them (its `traceparent`, and `tracestate` with repeated headers joined as W3C
 * allows). A repeated or malformed `traceparent` is ignored, as Trace Context §3.2 says.
 */
export function adoptTraceContext(events: CloudEvent[], headers: HttpHeaders): void {
  const parents = headers.traceparent;
  const traceparent = Array.isArray(parents) ? (parents.length === 1 ? parents[0] : undefined) : parents;
  if (!isTraceparent(traceparent)) return;
  const states = headers.tracestate;
  const tracestate = Array.isArray(states) ? states.join(',') : states;
  for (const event of events) {
    if (event.traceparent !== undefined) continue;
    event.traceparent = traceparent;
    if (tracestate !== undefined && TRACESTATE.test(tracestate)) event.tracestate = tracestate;
  }
}

/**
 * The W3C `traceparent`/`tracestate` HTTP headers of a delivery, from the event's Distributed
 * Tracing extension (Junction records no spans, so the trace continues from the producer's context).
 * Adds nothing for a missing or malformed traceparent.
 */
export function addTraceHeaders(event: CloudEvent, headers: Record<string, string>): void {
  if (!isTraceparent(event.traceparent)) return;
  headers.traceparent = event.traceparent;
  const tracestate = event.tracestate;
  if (typeof tracestate === 'string' && TRACESTATE.test(tracestate)) headers.tracestate = tracestate;
}

/** A reply without its own trace context continues the trace of the event it answers. */
export function inheritTraceContext(reply: CloudEvent, original: CloudEvent): void {
  if (reply.traceparent !== undefined || original.traceparent === undefined) return;
  reply.traceparent = original.traceparent;
  if (original.tracestate !== undefined) reply.tracestate = original.tracestate;
}
