import { isJsonEssence, parseContentType } from './media-type.js';
import { encodeHeaderValue } from './percent.js';
import type { CloudEvent } from './types.js';

/** A CloudEvent as a binary-mode HTTP message: lower-case header names and the body bytes, if any. */
export interface BinaryHttpMessage {
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/**
 * Encodes an event for delivery in binary mode (HTTP binding §3.1): every attribute as a
 * percent-encoded `ce-` header, datacontenttype as Content-Type (application/json when `data` is
 * present without one) and data as the body (JSON types serialized, text as UTF-8, base64 decoded).
 */
export function toBinaryHttp(event: CloudEvent): BinaryHttpMessage {
  const headers: Record<string, string> = {};
  for (const name in event) {
    if (name === 'data' || name === 'data_base64' || name === 'datacontenttype') continue;
    const value = event[name];
    if (value === undefined || value === null) continue;
    headers[`ce-${name}`] = encodeHeaderValue(typeof value === 'string' ? value : String(value));
  }
  let contentType = event.datacontenttype ?? undefined;
  let body: Buffer | undefined;
  if (event.data_base64 !== undefined && event.data_base64 !== null) {
    body = Buffer.from(event.data_base64, 'base64');
  } else if (event.data !== undefined) {
    contentType ??= 'application/json';
    const essence = parseContentType(contentType)?.essence;
    // Under a JSON media type even a string is a JSON value and goes out quoted (JSON format §3.2).
    const json = essence === undefined || isJsonEssence(essence) || typeof event.data !== 'string';
    body = Buffer.from(json ? JSON.stringify(event.data) : (event.data as string), 'utf8');
  }
  if (contentType !== undefined) headers['content-type'] = contentType;
  return { headers, body };
}

/** The event in the CloudEvents JSON format (`application/cloudevents+json`), for logs, dead letters and the CLI. */
export function toStructuredJson(event: CloudEvent): string {
  return JSON.stringify(event);
}
