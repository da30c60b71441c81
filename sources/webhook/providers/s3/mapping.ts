import { createHash } from 'node:crypto';
import { createError } from '../../../../core/errors.js';
import { extensions, jsonBody, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix (CloudEvents' S3 adapter): `com.amazonaws.s3.<eventName>`, e.g. `com.amazonaws.s3.ObjectCreated:Put`. */
export const S3_TYPE_PREFIX = 'com.amazonaws.s3.';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What identifies a record across the store's retries: its request, object key and sequencer. */
function recordKey(record: Record<string, unknown>): string {
  return [pathValue(record, 'responseElements.x-amz-request-id'), pathValue(record, 's3.object.key'), pathValue(record, 's3.object.versionId'), pathValue(record, 's3.object.sequencer')].map((part) => part ?? '').join('\n');
}

/** The CloudEvent of one record, per the CloudEvents S3 adapter (`s3:` of MinIO's event names dropped, as AWS names them). */
function recordEvent(record: Record<string, unknown>, index: number): WebhookEvent {
  const name = pathValue(record, 'eventName');
  const bucket = pathValue(record, 's3.bucket.name');
  if (name === undefined || bucket === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `record ${index} needs an eventName and s3.bucket.name`);
  const requestId = pathValue(record, 'responseElements.x-amz-request-id');
  const hostId = pathValue(record, 'responseElements.x-amz-id-2');
  return {
    id: requestId !== undefined && hostId !== undefined ? `${requestId}.${hostId}` : sha256(recordKey(record)),
    type: `${S3_TYPE_PREFIX}${name.replace(/^s3:/, '')}`,
    source: `${pathValue(record, 'eventSource') ?? ''}.${pathValue(record, 'awsRegion') ?? ''}.${bucket}`,
    subject: pathValue(record, 's3.object.key'),
    time: rfc3339(record.eventTime),
    datacontenttype: 'application/json',
    data: record,
    extensions: extensions({ bucket, eventsource: pathValue(record, 'eventSource') }),
  };
}

/**
 * An S3-compatible bucket notification (MinIO's `{EventName, Key, Records}` or Ceph RGW's / AWS's
 * `{Records}`): one CloudEvent per record. The delivery id hashes each record's request id, key,
 * version and sequencer, so a retried POST is recognised; two records of one request (a
 * multi-object delete) that the adapter's id would not tell apart get a suffix from their key.
 */
export function mapS3(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const body = jsonBody(request);
  if (!Array.isArray(body.Records)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'an S3 notification needs a Records array');
  const records = body.Records.map((record: unknown, index) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `record ${index} is not an object`);
    return record as Record<string, unknown>;
  });
  const seen = new Set<string>();
  const events = records.map((record, index) => {
    const event = recordEvent(record, index);
    if (seen.has(event.id)) event.id = `${event.id}.${sha256(recordKey(record)).slice(0, 16)}`;
    seen.add(event.id);
    return event;
  });
  const deliveryId = sha256(records.map(recordKey).sort().join('\n\n'));
  return { deliveryId, events };
}
