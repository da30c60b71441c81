import { isUtf8 } from 'node:buffer';
import type { FieldProblem } from '../errors.js';
import { isAttributeName } from './formats.js';
import { contentTypeHeader, isCeHeader, type HttpHeaders } from './http-headers.js';
import { isJsonEssence, isUtf8Text, parseContentType } from './media-type.js';
import { decodeHeaderValue } from './percent.js';
import { keepDataJson } from './received-data.js';
import { formatMessages } from './schema.js';

/**
 * Reads a binary-mode message (HTTP binding §3.1) into the JSON-format shape: `ce-*` headers become
 * attributes, Content-Type becomes datacontenttype and the body becomes data (JSON value, UTF-8
 * text) or data_base64 (anything else). Problems found on the way are appended to `problems`.
 */
export function decodeBinary(headers: HttpHeaders, body: Buffer, problems: FieldProblem[]): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const header in headers) {
    if (!isCeHeader(header)) continue;
    const raw = headers[header];
    if (raw === undefined) continue;
    const name = header.slice(3).toLowerCase();
    const problem = headerProblem(name, raw, event);
    if (problem !== undefined) {
      problems.push({ path: name, message: problem });
      continue;
    }
    try {
      event[name] = decodeHeaderValue(Array.isArray(raw) ? raw[0] : raw);
    } catch (error) {
      problems.push({ path: name, message: `header ${header} ${(error as Error).message}` });
    }
  }
  const contentType = contentTypeHeader(headers);
  if (contentType !== undefined) event.datacontenttype = contentType;
  if (body.length > 0) decodeData(event, contentType, body, problems);
  return event;
}

function headerProblem(name: string, raw: string | string[], event: Record<string, unknown>): string | undefined {
  if (name === 'datacontenttype') return 'must be sent as the Content-Type header, not ce-datacontenttype (HTTP binding §3.1.1)';
  if (name === 'data' || name === 'data_base64') return `is reserved for event data and cannot be a ce- header`;
  if (!isAttributeName(name)) return formatMessages['ce-attribute-name'];
  if ((Array.isArray(raw) && raw.length !== 1) || Object.hasOwn(event, name)) return 'must appear only once';
  return undefined;
}

function decodeData(event: Record<string, unknown>, contentTypeValue: string | undefined, body: Buffer, problems: FieldProblem[]): void {
  const contentType = parseContentType(contentTypeValue);
  if (contentType !== undefined && isJsonEssence(contentType.essence)) {
    if (!isUtf8(body)) {
      problems.push({ path: 'body', message: 'is not valid UTF-8, but Content-Type declares JSON' });
      return;
    }
    try {
      const json = body.toString('utf8');
      event.data = JSON.parse(json);
      keepDataJson(event, json);
    } catch (error) {
      problems.push({ path: 'body', message: `is not valid JSON, but Content-Type declares JSON: ${(error as Error).message}` });
    }
  } else if (contentType !== undefined && isUtf8Text(contentType) && isUtf8(body)) {
    event.data = body.toString('utf8');
  } else {
    // Bytes that are not (UTF-8) text are kept exactly, as the JSON format's Binary data.
    event.data_base64 = body.toString('base64');
  }
}
