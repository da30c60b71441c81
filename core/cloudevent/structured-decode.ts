import { isUtf8 } from 'node:buffer';
import type { FieldProblem } from '../errors.js';

const NOT_PARSED = Symbol('not parsed');

/**
 * Reads a structured-mode body (`application/cloudevents+json`): one JSON object. Returns the
 * events found (zero or one); problems, such as malformed JSON, are appended to `problems`.
 */
export function decodeStructured(body: Buffer, problems: FieldProblem[]): Record<string, unknown>[] {
  const parsed = parseJsonBody(body, problems);
  if (parsed === NOT_PARSED) return [];
  if (!isJsonObject(parsed)) {
    problems.push({ path: 'body', message: 'must be a JSON object (one event in the CloudEvents JSON format)' });
    return [];
  }
  return [dropUnsetAttributes(parsed)];
}

/**
 * Reads a batch body (`application/cloudevents-batch+json`): a JSON array of events, possibly empty.
 * An element that is not an object is reported at path `[i]`.
 */
export function decodeBatch(body: Buffer, problems: FieldProblem[]): Record<string, unknown>[] {
  const parsed = parseJsonBody(body, problems);
  if (parsed === NOT_PARSED) return [];
  if (!Array.isArray(parsed)) {
    problems.push({ path: 'body', message: 'must be a JSON array of events (JSON batch format)' });
    return [];
  }
  for (let index = 0; index < parsed.length; index++) {
    const element: unknown = parsed[index];
    if (isJsonObject(element)) dropUnsetAttributes(element);
    else problems.push({ path: `[${index}]`, message: 'must be a JSON object (one event in the CloudEvents JSON format)' });
  }
  return parsed as Record<string, unknown>[];
}

function parseJsonBody(body: Buffer, problems: FieldProblem[]): unknown {
  if (!isUtf8(body)) {
    problems.push({ path: 'body', message: 'is not valid UTF-8' });
    return NOT_PARSED;
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    problems.push({ path: 'body', message: `is not valid JSON: ${(error as Error).message}` });
    return NOT_PARSED;
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The JSON format reads a null attribute as unset (§2.2), so it is removed here, in place; `data`
// keeps null, which is an explicit null payload (§3.1.1).
function dropUnsetAttributes(event: Record<string, unknown>): Record<string, unknown> {
  for (const name in event) {
    if (event[name] === null && name !== 'data') delete event[name];
  }
  return event;
}
