import { isUtf8 } from 'node:buffer';
import { isJsonEssence, isUtf8Text, parseContentType, type CloudEvent } from '../../core/cloudevent/index.js';
import { recordKey } from '../log/record-key.js';

/** A Kafka record as produced: headers, optional key and the value bytes (null: an event without data). */
export interface KafkaRecordParts {
  key: string | null;
  headers: Record<string, string>;
  value: Buffer | null;
}

/** Header values as kafkajs hands them to consumers. */
export type ConsumedHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined;

/**
 * Junction's own headers, beside the binding's: how `data` was held (`json` value, `text` string or
 * `binary` data_base64) and which attributes were not strings (their `ce_` header is JSON). With
 * them every event reads back exactly as appended; records from other producers decode per the binding.
 */
const DATA_HEADER = 'junction_data';
const TYPED_HEADER = 'junction_typed';
const REQUIRED = ['specversion', 'id', 'source', 'type'];

/**
 * Encodes an event in the CloudEvents Kafka binding's binary mode: attributes as `ce_` headers,
 * datacontenttype as `content-type`, data as the value and the `partitionkey` extension as the key.
 */
export function encodeRecord(event: CloudEvent): KafkaRecordParts {
  const headers: Record<string, string> = {};
  const typed: string[] = [];
  for (const name in event) {
    if (name === 'data' || name === 'data_base64' || name === 'datacontenttype') continue;
    const value = event[name];
    if (value === undefined) continue;
    if (typeof value === 'string') {
      headers[`ce_${name}`] = value;
    } else {
      headers[`ce_${name}`] = JSON.stringify(value);
      typed.push(name);
    }
  }
  if (typed.length > 0) headers[TYPED_HEADER] = typed.join(',');
  const contentType = typeof event.datacontenttype === 'string' ? event.datacontenttype : undefined;
  if (contentType !== undefined) headers['content-type'] = contentType;
  let value: Buffer | null = null;
  if (typeof event.data_base64 === 'string') {
    value = Buffer.from(event.data_base64, 'base64');
    headers[DATA_HEADER] = 'binary';
  } else if (event.data !== undefined) {
    const essence = parseContentType(contentType)?.essence;
    // A string under a non-JSON media type is the text itself; anything else is a JSON value (JSON format §3.2).
    const text = typeof event.data === 'string' && essence !== undefined && !isJsonEssence(essence);
    value = Buffer.from(text ? (event.data as string) : JSON.stringify(event.data), 'utf8');
    headers[DATA_HEADER] = text ? 'text' : 'json';
  }
  return { key: recordKey(event) ?? null, headers, value };
}

/**
 * Reads a record back into a CloudEvent: binary mode (`ce_` headers) or structured JSON mode
 * (`content-type: application/cloudevents+json`). Undefined when the record is not a CloudEvent.
 */
export function decodeRecord(headers: ConsumedHeaders, value: Buffer | null): CloudEvent | undefined {
  const text = (name: string): string | undefined => headerText(headers?.[name]);
  const contentType = text('content-type');
  const essence = parseContentType(contentType)?.essence;
  if (essence?.startsWith('application/cloudevents')) {
    return essence === 'application/cloudevents+json' && value ? parseStructured(value) : undefined;
  }
  const typed = new Set((text(TYPED_HEADER) ?? '').split(',').filter((name) => name !== ''));
  const event: Record<string, unknown> = {};
  for (const header in headers) {
    if (!header.startsWith('ce_')) continue;
    const name = header.slice(3);
    const raw = text(header);
    if (raw === undefined || name === 'data' || name === 'data_base64') continue;
    event[name] = typed.has(name) ? parseJson(raw) : raw;
  }
  if (!REQUIRED.every((name) => typeof event[name] === 'string')) return undefined;
  if (contentType !== undefined) event.datacontenttype = contentType;
  if (value) decodeData(event, text(DATA_HEADER), contentType, value);
  return event as CloudEvent;
}

function decodeData(event: Record<string, unknown>, held: string | undefined, contentType: string | undefined, value: Buffer): void {
  if (held === 'binary') event.data_base64 = value.toString('base64');
  else if (held === 'text') event.data = value.toString('utf8');
  else if (held === 'json') event.data = parseJson(value.toString('utf8'));
  else {
    // A record from another producer: read it as the HTTP binding reads a binary-mode body.
    const type = parseContentType(contentType);
    if (type && isJsonEssence(type.essence) && isUtf8(value)) {
      try {
        event.data = JSON.parse(value.toString('utf8'));
        return;
      } catch {
        // Not JSON after all: kept as bytes below.
      }
    }
    if (type && isUtf8Text(type) && isUtf8(value)) event.data = value.toString('utf8');
    else event.data_base64 = value.toString('base64');
  }
}

function parseStructured(value: Buffer): CloudEvent | undefined {
  const parsed = parseJson(value.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const event = parsed as Record<string, unknown>;
  return REQUIRED.every((name) => typeof event[name] === 'string') ? (event as CloudEvent) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  if (single === undefined) return undefined;
  return typeof single === 'string' ? single : single.toString('utf8');
}
