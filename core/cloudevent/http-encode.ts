import { isJsonEssence, parseContentType } from './media-type.js';
import { encodeHeaderValue } from './percent.js';
import { dataJson, eventJson } from './received-data.js';
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
    headers[headerName(name)] = encodeHeaderValue(typeof value === 'string' ? value : String(value));
  }
  let contentType = event.datacontenttype ?? undefined;
  let body: Buffer | undefined;
  if (event.data_base64 !== undefined && event.data_base64 !== null) {
    body = Buffer.from(event.data_base64, 'base64');
  } else if (event.data !== undefined) {
    contentType ??= 'application/json';
    // Under a JSON media type even a string is a JSON value and goes out quoted (JSON format §3.2).
    const json = typeof event.data !== 'string' || isJsonType(contentType);
    body = Buffer.from(json ? dataJson(event) : (event.data as string), 'utf8');
  }
  if (contentType !== undefined) headers['content-type'] = contentType;
  return { headers, body };
}

/** The event in the CloudEvents JSON format (`application/cloudevents+json`), for logs, dead letters and the CLI. */
export function toStructuredJson(event: CloudEvent): string {
  return eventJson(event);
}

/** `ce-` header names of attributes seen so far (a handful in practice; bounded all the same). */
const headerNames = new Map<string, string>();

function headerName(attribute: string): string {
  let name = headerNames.get(attribute);
  if (name === undefined) {
    name = `ce-${attribute}`;
    if (headerNames.size < 1024) headerNames.set(attribute, name);
  }
  return name;
}

/** The last content type asked about and its answer: most events of a stream share one. */
let lastType: string | undefined;
let lastTypeIsJson = true;

function isJsonType(contentType: string): boolean {
  if (contentType !== lastType) {
    const essence = parseContentType(contentType)?.essence;
    lastTypeIsJson = essence === undefined || isJsonEssence(essence);
    lastType = contentType;
  }
  return lastTypeIsJson;
}
