import type { FieldProblem } from '../errors.js';
import { decodeBinary } from './binary-decode.js';
import { contentTypeHeader, type HttpHeaders } from './http-headers.js';
import { contentModeOf, parseContentType, type ContentMode } from './media-type.js';
import { decodeBatch, decodeStructured } from './structured-decode.js';
import { validateEvent } from './validate.js';

/** An HTTP message read as CloudEvents, before anyone decides what to do with its problems. */
export interface DecodedHttpMessage {
  mode: ContentMode;
  /** The Content-Type essence, e.g. `application/cloudevents+avro` when mode is 'unsupported'. */
  essence: string | undefined;
  events: Record<string, unknown>[];
  /** Every problem of every event (batch paths prefixed `[i].`); empty when all events are valid. */
  problems: FieldProblem[];
}

/** Reads an HTTP message in whichever content mode its Content-Type selects, and validates every event. */
export function decodeHttpMessage(headers: HttpHeaders, body: Buffer): DecodedHttpMessage {
  const essence = parseContentType(contentTypeHeader(headers))?.essence;
  const mode = contentModeOf(essence);
  const problems: FieldProblem[] = [];
  let events: Record<string, unknown>[] = [];
  if (mode === 'binary') {
    events = [decodeBinary(headers, body, problems)];
    // A header that could not be read already has its problem; do not add "missing" for it too.
    const reported = new Set(problems.map((problem) => problem.path));
    for (const problem of validateEvent(events[0])) if (!reported.has(problem.path)) problems.push(problem);
  } else if (mode === 'structured') {
    events = decodeStructured(body, problems);
    if (events.length === 1) problems.push(...validateEvent(events[0]));
  } else if (mode === 'batch') {
    events = decodeBatch(body, problems);
    // Elements that are not objects were reported by decodeBatch already.
    events.forEach((event, index) => {
      if (typeof event !== 'object' || event === null || Array.isArray(event)) return;
      for (const problem of validateEvent(event)) problems.push({ path: `[${index}].${problem.path}`, message: problem.message });
    });
  }
  return { mode, essence, events, problems };
}
