import { isUtf8 } from 'node:buffer';
import type { Message, Options } from 'amqplib';
import { isJsonEssence, parseContentType, type CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';

/** Junction's own headers next to the CloudEvents application properties. */
export const JUNCTION_HEADERS = {
  /** How the body holds the event data: json | text | base64 | base64-text | none. */
  data: 'junction-data',
  /** When the append was made (ms since epoch, the writer's clock): ChannelRecord.appendedAt. */
  appendedAt: 'junction-appended-at',
  /** Marks a record that is not an event (the genesis record written when a channel is created). */
  record: 'junction-record',
} as const;

type DataMode = 'json' | 'text' | 'base64' | 'base64-text' | 'none';

/** An event as an AMQP 0-9-1 message: body plus publish options (headers, content type, id). */
export interface EncodedEvent {
  content: Buffer;
  options: Options.Publish;
}

/** A message read back: an event, or one of Junction's internal records. */
export type DecodedMessage = { kind: 'event'; event: CloudEvent; appendedAt: number } | { kind: 'internal'; appendedAt: number };

const BODY_ATTRIBUTES = new Set(['datacontenttype', 'data', 'data_base64']);
const PREFIX = /^cloudevents[:_]/i;

/**
 * CloudEvents AMQP binding, binary mode: every attribute but datacontenttype becomes an application
 * property `cloudEvents<separator><name>` (native string/long/boolean), datacontenttype the
 * content-type property, data the body.
 */
export function encodeEvent(event: CloudEvent, separator: ':' | '_', appendedAt: number, messageId: string): EncodedEvent {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(event)) {
    if (BODY_ATTRIBUTES.has(name) || value === undefined) continue;
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw createError('JUNCTION_EVENT_INVALID', `attribute "${name}" must be a string, an integer or a boolean`);
    }
    headers[`cloudEvents${separator}${name}`] = value;
  }
  const { content, mode } = encodeData(event);
  headers[JUNCTION_HEADERS.data] = mode;
  headers[JUNCTION_HEADERS.appendedAt] = appendedAt;
  const options: Options.Publish = { headers, messageId, persistent: true, mandatory: true };
  if (typeof event.datacontenttype === 'string') options.contentType = event.datacontenttype;
  return { content, options };
}

function encodeData(event: CloudEvent): { content: Buffer; mode: DataMode } {
  if (typeof event.data_base64 === 'string') {
    const bytes = Buffer.from(event.data_base64, 'base64');
    // Non-canonical base64 would not come back unchanged from the bytes: keep its text instead.
    if (bytes.toString('base64') === event.data_base64) return { content: bytes, mode: 'base64' };
    return { content: Buffer.from(event.data_base64, 'utf8'), mode: 'base64-text' };
  }
  if (event.data === undefined) return { content: Buffer.alloc(0), mode: 'none' };
  const contentType = parseContentType(typeof event.datacontenttype === 'string' ? event.datacontenttype : undefined);
  if (typeof event.data === 'string' && contentType !== undefined && !isJsonEssence(contentType.essence)) {
    return { content: Buffer.from(event.data, 'utf8'), mode: 'text' };
  }
  return { content: Buffer.from(JSON.stringify(event.data), 'utf8'), mode: 'json' };
}

/** Reads a message back; accepts both separators and messages from other AMQP producers. */
export function decodeMessage(message: Message): DecodedMessage {
  const headers: Record<string, unknown> = message.properties.headers ?? {};
  const stamp = Number(headers[JUNCTION_HEADERS.appendedAt]);
  const appendedAt = Number.isFinite(stamp) ? stamp : Number(message.properties.timestamp ?? 0) * 1000;
  if (typeof headers[JUNCTION_HEADERS.record] === 'string') return { kind: 'internal', appendedAt };
  const event: Record<string, unknown> = {};
  for (const [header, value] of Object.entries(headers)) {
    if (!PREFIX.test(header)) continue;
    const name = header.slice('cloudEvents:'.length);
    event[name] = attributeValue(name, value);
  }
  const contentType = message.properties.contentType as string | undefined;
  if (typeof contentType === 'string') event.datacontenttype = contentType;
  decodeData(event, headers[JUNCTION_HEADERS.data], contentType, message.content);
  return { kind: 'event', event: event as CloudEvent, appendedAt };
}

function attributeValue(name: string, value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  // A native AMQP timestamp (seconds) for `time`; Junction itself writes the canonical string.
  if (typeof value === 'number' && name === 'time') return new Date(value * 1000).toISOString();
  return value;
}

function decodeData(event: Record<string, unknown>, mode: unknown, contentType: string | undefined, body: Buffer): void {
  switch (mode) {
    case 'none':
      return;
    case 'json':
      try {
        event.data = JSON.parse(body.toString('utf8'));
      } catch {
        event.data_base64 = body.toString('base64');
      }
      return;
    case 'text':
      event.data = body.toString('utf8');
      return;
    case 'base64':
      event.data_base64 = body.toString('base64');
      return;
    case 'base64-text':
      event.data_base64 = body.toString('utf8');
      return;
  }
  // Written by another producer: go by the content type.
  if (body.length === 0) return;
  const type = parseContentType(contentType);
  if (type !== undefined && isJsonEssence(type.essence) && isUtf8(body)) {
    try {
      event.data = JSON.parse(body.toString('utf8'));
      return;
    } catch {
      // Not JSON after all: kept as bytes below.
    }
  }
  if (type !== undefined && (type.essence.startsWith('text/') || type.charset !== undefined) && isUtf8(body)) event.data = body.toString('utf8');
  else event.data_base64 = body.toString('base64');
}
