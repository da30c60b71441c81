import { isUtf8 } from 'node:buffer';
import { headers as natsHeaders, type MsgHdrs } from 'nats';
import { decodeHeaderValue, encodeHeaderValue, isJsonEssence, isUtf8Text, parseContentType, type CloudEvent } from '../../core/cloudevent/index.js';

/**
 * How the payload holds the event's data, so that decoding gives back exactly what was appended:
 * `json` (data as JSON text), `text` (a data string as UTF-8), `base64` (the bytes of data_base64).
 * Messages without it (other producers) are read by their ce-datacontenttype, as in the HTTP binding.
 */
const DATA_HEADER = 'junction-data';
/** Names of attributes whose value is not a string (integer, boolean…): their ce- header holds JSON. */
const JSON_ATTRIBUTES_HEADER = 'junction-json-attributes';
const CE_PREFIX = 'ce-';

/** A CloudEvent as a NATS message in the binding's binary mode. */
export interface EncodedEvent {
  headers: MsgHdrs;
  payload: Uint8Array;
}

/**
 * Encodes an event in the CloudEvents NATS binding's binary mode (§3.1): every attribute,
 * datacontenttype and extensions included, as a percent-encoded `ce-<name>` header, the data as
 * the payload bytes.
 */
export function encodeEvent(event: CloudEvent): EncodedEvent {
  const headers = natsHeaders();
  const jsonAttributes: string[] = [];
  for (const name in event) {
    if (name === 'data' || name === 'data_base64') continue;
    const value = event[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') jsonAttributes.push(name);
    headers.set(`${CE_PREFIX}${name}`, encodeHeaderValue(typeof value === 'string' ? value : JSON.stringify(value)));
  }
  if (jsonAttributes.length > 0) headers.set(JSON_ATTRIBUTES_HEADER, jsonAttributes.join(','));
  let payload: Uint8Array = new Uint8Array(0);
  if (typeof event.data_base64 === 'string') {
    payload = Buffer.from(event.data_base64, 'base64');
    headers.set(DATA_HEADER, 'base64');
  } else if (event.data !== undefined) {
    const essence = parseContentType(event.datacontenttype)?.essence;
    // A string under a non-JSON type is text; anything else (or any value under JSON) is JSON.
    const text = typeof event.data === 'string' && essence !== undefined && !isJsonEssence(essence);
    payload = Buffer.from(text ? (event.data as string) : JSON.stringify(event.data), 'utf8');
    headers.set(DATA_HEADER, text ? 'text' : 'json');
  }
  return { headers, payload };
}

/**
 * Decodes a binary-mode message back into the event. Throws (with a message saying what is wrong)
 * when a header cannot be decoded or the payload does not match its declared encoding.
 */
export function decodeEvent(headers: MsgHdrs | undefined, payload: Uint8Array): CloudEvent {
  const event: Record<string, unknown> = {};
  let dataEncoding: string | undefined;
  let jsonAttributes: Set<string> = new Set();
  const raw = new Map<string, string>();
  for (const key of headers?.keys() ?? []) {
    const lower = key.toLowerCase();
    const value = headers?.get(key) ?? '';
    if (lower === DATA_HEADER) dataEncoding = value;
    else if (lower === JSON_ATTRIBUTES_HEADER) jsonAttributes = new Set(value.split(','));
    else if (lower.startsWith(CE_PREFIX) && lower.length > CE_PREFIX.length) raw.set(lower.slice(CE_PREFIX.length), value);
  }
  for (const [name, value] of raw) {
    const decoded = decodeHeaderValue(value);
    event[name] = jsonAttributes.has(name) ? JSON.parse(decoded) : decoded;
  }
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (dataEncoding === 'base64') event.data_base64 = bytes.toString('base64');
  else if (dataEncoding === 'text') event.data = bytes.toString('utf8');
  else if (dataEncoding === 'json') event.data = JSON.parse(bytes.toString('utf8'));
  else if (bytes.length > 0) decodeForeignData(event, bytes);
  return event as CloudEvent;
}

/** Data of a message from another producer: read as its datacontenttype says (HTTP binding rules). */
function decodeForeignData(event: Record<string, unknown>, bytes: Buffer): void {
  const contentType = parseContentType(typeof event.datacontenttype === 'string' ? event.datacontenttype : undefined);
  if (contentType !== undefined && isJsonEssence(contentType.essence) && isUtf8(bytes)) {
    try {
      event.data = JSON.parse(bytes.toString('utf8'));
      return;
    } catch {
      // Not JSON after all: kept as bytes below.
    }
  }
  if (contentType !== undefined && isUtf8Text(contentType) && isUtf8(bytes)) event.data = bytes.toString('utf8');
  else event.data_base64 = bytes.toString('base64');
}
