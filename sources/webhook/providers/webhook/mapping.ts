import { isUtf8 } from 'node:buffer';
import { createHash, randomUUID } from 'node:crypto';
import { isJsonEssence } from '../../../../core/cloudevent/index.js';
import { createError } from '../../../../core/errors.js';
import { formBody, header } from '../../payload.js';
import type { WebhookContext, WebhookEvent, WebhookRequest } from '../../types.js';
import { pointerValue } from './json-pointer.js';

/** The type of a WebhookSource's events when the spec names none. */
export const WEBHOOK_DEFAULT_TYPE = 'dev.junction.webhook';

/** Where a value comes from: a request header, or a JSON Pointer (RFC 6901) into the body's data. */
export interface ValueFrom {
  header?: string;
  jsonPointer?: string;
}

/** What the WebhookSource's spec says about its events. */
interface WebhookSpec {
  eventType?: string;
  typeFrom?: ValueFrom;
  typePrefix?: string;
  idFrom?: ValueFrom;
  source?: string;
}

/**
 * Any JSON, form or raw body as one event. type: `typeFrom` (with `typePrefix`), else `eventType`,
 * else `dev.junction.webhook`; id: `idFrom` (the dedupe key), else a generated id with the SHA-256
 * of the body as the dedupe key (an exact redelivery is dropped); source: `spec.source` or
 * `/sources/<namespace>/<name>`.
 */
export function mapWebhook(request: WebhookRequest, context: WebhookContext): { deliveryId: string; events: WebhookEvent[] } {
  const spec = context.spec as WebhookSpec;
  const body = readBody(request);
  const fromType = spec.typeFrom === undefined ? undefined : valueFrom(request, body.data, spec.typeFrom);
  let id: string = randomUUID();
  let deliveryId = createHash('sha256').update(request.body).digest('hex');
  if (spec.idFrom !== undefined) {
    const given = valueFrom(request, body.data, spec.idFrom);
    if (given === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `the request has no event id at spec.idFrom (${describe(spec.idFrom)})`);
    id = deliveryId = given;
  }
  const event: WebhookEvent = {
    id,
    type: fromType !== undefined ? `${spec.typePrefix ?? ''}${fromType}` : (spec.eventType ?? WEBHOOK_DEFAULT_TYPE),
    source: spec.source ?? `/sources/${context.namespace}/${context.name}`,
    datacontenttype: body.datacontenttype,
    ...(body.dataBase64 === undefined ? { data: body.data } : { data_base64: body.dataBase64 }),
  };
  return { deliveryId, events: [event] };
}

/** The value a ValueFrom names, as a non-empty string (numbers and booleans as written in JSON). */
function valueFrom(request: WebhookRequest, data: unknown, from: ValueFrom): string | undefined {
  if (from.header !== undefined) return header(request, from.header.toLowerCase());
  return from.jsonPointer === undefined ? undefined : pointerValue(data, from.jsonPointer);
}

function describe(from: ValueFrom): string {
  return from.header !== undefined ? `header ${from.header}` : `jsonPointer ${from.jsonPointer}`;
}

/**
 * The body as event data: parsed JSON for a JSON media type, the fields of a form post, UTF-8 text
 * for anything else, and bytes that are not UTF-8 as `data_base64`. Without a Content-Type, a body
 * that parses as JSON is JSON and anything else is text.
 */
function readBody(request: WebhookRequest): { datacontenttype: string; data?: unknown; dataBase64?: string } {
  const given = header(request, 'content-type');
  const essence = given?.split(';')[0]!.trim().toLowerCase();
  const bytes = request.body;
  const text = isUtf8(bytes) ? bytes.toString('utf8') : undefined;
  if (essence === undefined) {
    const json = text === undefined || bytes.length === 0 ? undefined : parseJson(text);
    if (json !== undefined) return { datacontenttype: 'application/json', data: json.value };
    return text === undefined ? { datacontenttype: 'application/octet-stream', dataBase64: bytes.toString('base64') } : { datacontenttype: 'text/plain; charset=utf-8', data: bytes.length === 0 ? undefined : text };
  }
  if (bytes.length === 0) return { datacontenttype: given! };
  if (isJsonEssence(essence)) {
    const json = text === undefined ? undefined : parseJson(text);
    if (json === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `the body is not valid JSON, but Content-Type is ${essence}`);
    return { datacontenttype: given!, data: json.value };
  }
  // Form fields become a JSON object: the event's data is JSON from here on.
  if (essence === 'application/x-www-form-urlencoded') return { datacontenttype: 'application/json', data: formBody(request) };
  return text === undefined ? { datacontenttype: given!, dataBase64: bytes.toString('base64') } : { datacontenttype: given!, data: text };
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
