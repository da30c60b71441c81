import { createError } from '../../core/errors.js';
import type { WebhookRequest } from './types.js';

/** A header of the request (names are lower-case), or undefined when absent or empty. */
export function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A header the provider always sends; its absence makes the body unreadable as that provider's (400). */
export function requiredHeader(request: WebhookRequest, name: string): string {
  const value = header(request, name);
  if (value === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `the request has no ${name} header`);
  return value;
}

/** The body parsed as JSON (an object), or a 400 naming the problem. */
export function jsonBody(request: WebhookRequest): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch (error) {
    throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `the body is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'the body is not a JSON object');
  return parsed as Record<string, unknown>;
}

/** The body as form fields (`application/x-www-form-urlencoded`); repeated fields keep their last value. */
export function formBody(request: WebhookRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));
}

/** The media type of the request without parameters, lower-case (`application/json` when absent). */
export function mediaType(request: WebhookRequest): string {
  return (header(request, 'content-type') ?? 'application/json').split(';')[0]!.trim().toLowerCase();
}

/** The value at a dotted path (`issue.number`) of a parsed body, as a string when it is a string or number. */
export function pathValue(body: unknown, path: string): string | undefined {
  let value: unknown = body;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Seconds (or an RFC 3339 / ISO 8601 string) since the epoch as RFC 3339, when it is a valid time. */
export function rfc3339(value: unknown): string | undefined {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' && value !== '' ? new Date(value) : undefined;
  return date && Number.isFinite(date.getTime()) ? date.toISOString() : undefined;
}

/** Extension attributes from named values, dropping empty ones (names must already be [a-z0-9]). */
export function extensions(values: Record<string, string | undefined>): Record<string, string> | undefined {
  const kept = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}
