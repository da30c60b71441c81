import { createHash } from 'node:crypto';
import { parseHttpEvents, type CloudEvent } from '../../../../core/cloudevent/index.js';
import { createError, isJunctionError } from '../../../../core/errors.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/**
 * The CloudEvents a request carries in any HTTP binding mode (binary `ce-*` headers, structured
 * `application/cloudevents+json`, batch `application/cloudevents-batch+json`), read and validated by
 * Junction's own codec, passed through with their id/type/source. The dedupe key is
 * `<source>\n<id>` of a single event (a batch of one included); for a batch of several, the SHA-256
 * of the JSON array of its `[source, id]` pairs, so the same batch sent again is dropped whole.
 */
export function mapCloudEvents(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  let events: CloudEvent[];
  try {
    events = parseHttpEvents(request.headers, request.body).events;
  } catch (error) {
    if (!isJunctionError(error)) throw error;
    const listed = error.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
    throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', listed === '' ? error.message : `${error.message}: ${listed}`, { problems: error.problems });
  }
  const pairs = events.map((event) => [event.source, event.id]);
  const deliveryId = pairs.length === 1 ? `${pairs[0]![0]}\n${pairs[0]![1]}` : createHash('sha256').update(JSON.stringify(pairs)).digest('hex');
  return { deliveryId, events: events.map(passThrough) };
}

/**
 * One received CloudEvent as the route emits it, attributes unchanged. Extensions sent as JSON
 * numbers or booleans (structured mode) become their canonical strings, as in binary mode.
 * `dataschema` and `data_base64` are kept as they came. Without a datacontenttype, the JSON format's
 * implied `application/json` (or `application/octet-stream` for binary data) is written out.
 */
function passThrough(event: CloudEvent): WebhookEvent {
  const { specversion: _specversion, id, source, type, subject, time, datacontenttype, dataschema, data, data_base64: dataBase64, ...rest } = event;
  const extensions = Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, typeof value === 'string' ? value : String(value)]));
  return {
    id,
    type,
    source,
    subject,
    time,
    datacontenttype: datacontenttype ?? (dataBase64 !== undefined ? 'application/octet-stream' : 'application/json'),
    ...(dataschema !== undefined ? { dataschema } : {}),
    ...(dataBase64 !== undefined ? { data_base64: String(dataBase64) } : { data }),
    extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
  };
}
