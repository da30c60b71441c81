import type { FastifyInstance } from 'fastify';
import { createError } from '../../core/errors.js';

/**
 * How deeply a JSON body of the control API may nest. No resource comes near it (a Knative
 * manifest is a dozen levels deep), and it keeps every walk over a document (defaults, validation,
 * cloning, storing) far from the stack's limit.
 */
export const MAX_JSON_DEPTH = 100;

/** The media types the control API reads as JSON (the patch types are JSON merge patches). */
const JSON_TYPES = ['application/json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

/**
 * Reads JSON bodies: an empty body means "no body" (some clients send a content-type with DELETE),
 * `__proto__` keys are refused, and a body nesting deeper than MAX_JSON_DEPTH is a 400
 * JUNCTION_BAD_REQUEST before it is parsed.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  const jsonParser = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text === '') return done(null, undefined);
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return done(createError('JUNCTION_BAD_REQUEST', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    return jsonParser(request, text, done);
  });
}

/** True when the JSON text opens more than `limit` objects or arrays inside each other (one pass, no recursion). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > limit) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}
