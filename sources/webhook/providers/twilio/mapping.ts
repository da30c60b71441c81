import { createHash } from 'node:crypto';
import { createError } from '../../../../core/errors.js';
import { extensions, formBody, header, jsonBody, mediaType, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `com.twilio.message.received`, `com.twilio.message.status`, `com.twilio.call.status`… */
export const TWILIO_TYPE_PREFIX = 'com.twilio.';

type Fields = Record<string, unknown>;

/** Which webhook a request is, from the parameters Twilio sends: its type suffix, its own id and the object's SID. */
export function classifyTwilio(fields: Fields): { kind: string; id: string; sid?: string; status?: string } | undefined {
  const field = (name: string) => pathValue(fields, name);
  const recording = field('RecordingSid');
  const recordingStatus = field('RecordingStatus');
  if (recording !== undefined && recordingStatus !== undefined) return { kind: 'recording.status', id: `${recording}:${recordingStatus}`, sid: recording, status: recordingStatus };
  const message = field('MessageSid') ?? field('SmsSid');
  if (message !== undefined) {
    const status = field('MessageStatus') ?? field('SmsStatus');
    if (status === undefined || status === 'received') return { kind: 'message.received', id: message, sid: message, status };
    return { kind: 'message.status', id: `${message}:${status}`, sid: message, status };
  }
  const call = field('CallSid');
  if (call !== undefined) {
    const status = field('CallStatus');
    if (field('CallbackSource') !== undefined || field('SequenceNumber') !== undefined) return { kind: 'call.status', id: `${call}:${status ?? field('SequenceNumber') ?? 'status'}`, sid: call, status };
    return { kind: 'call.incoming', id: call, sid: call, status };
  }
  const eventType = field('EventType');
  if (eventType !== undefined && /^[A-Za-z0-9._-]+$/.test(eventType)) {
    const sid = field('Sid') ?? field('TaskSid') ?? field('ConversationSid');
    return sid === undefined ? undefined : { kind: eventType, id: `${sid}:${eventType}`, sid };
  }
  return undefined;
}

/**
 * A Twilio webhook (form parameters, or a JSON body signed through bodySHA256) as one event. The id
 * is `I-Twilio-Idempotency-Token` when sent (the same on Twilio's retries), else derived from the
 * SIDs and the status (each status change its own event), else a hash of the body.
 */
export function mapTwilio(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const fields: Fields = mediaType(request) === 'application/x-www-form-urlencoded' ? formBody(request) : jsonBody(request);
  if (Object.keys(fields).length === 0) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'the body has no Twilio parameters');
  const known = classifyTwilio(fields);
  const id = header(request, 'i-twilio-idempotency-token') ?? known?.id ?? createHash('sha256').update(request.body).digest('hex');
  const account = pathValue(fields, 'AccountSid');
  const event: WebhookEvent = {
    id,
    type: `${TWILIO_TYPE_PREFIX}${known?.kind ?? 'webhook'}`,
    source: account !== undefined ? `https://api.twilio.com/${account}` : 'https://api.twilio.com',
    subject: known?.sid,
    time: rfc3339(fields.Timestamp) ?? rfc3339(fields.EventDate) ?? rfc3339(fields.DateCreated),
    datacontenttype: 'application/json',
    data: fields,
    extensions: extensions({ accountsid: account, from: pathValue(fields, 'From'), to: pathValue(fields, 'To'), status: known?.status }),
  };
  return { deliveryId: id, events: [event] };
}
