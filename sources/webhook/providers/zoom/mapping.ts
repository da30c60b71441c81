import { createHash } from 'node:crypto';
import { createError } from '../../../../core/errors.js';
import { extensions, header, jsonBody, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `us.zoom.<event>`, e.g. `us.zoom.meeting.started`. */
export const ZOOM_TYPE_PREFIX = 'us.zoom.';

/**
 * The id of a Zoom notification, the same on Zoom's retries (Zoom sends no delivery id):
 * `<event>:<event_ts>:<object uuid or id>[:<participant>]`, or `<event>:<event_ts>:<body hash>`
 * for events without an object (e.g. `app_deauthorized`).
 */
export function zoomEventId(body: Record<string, unknown>, raw: Buffer): string {
  const event = pathValue(body, 'event');
  const object = pathValue(body, 'payload.object.uuid') ?? pathValue(body, 'payload.object.id');
  const participant = pathValue(body, 'payload.object.participant.participant_uuid') ?? pathValue(body, 'payload.object.participant.user_id') ?? pathValue(body, 'payload.object.participant.id');
  const ref = object !== undefined ? [object, participant].filter((part) => part !== undefined).join(':') : createHash('sha256').update(raw).digest('hex').slice(0, 32);
  return `${event}:${pathValue(body, 'event_ts')}:${ref}`;
}

/**
 * A Zoom notification: type `us.zoom.<event>`, source the account (`https://zoom.us/<account_id>`),
 * subject the object's id, time `event_ts` (ms); extensions `accountid`, `hostid`, `trackingid`.
 */
export function mapZoom(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const body = jsonBody(request);
  const name = pathValue(body, 'event');
  const timestamp = body.event_ts;
  if (name === undefined || typeof timestamp !== 'number') throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'a Zoom notification needs an event and a numeric event_ts');
  const id = zoomEventId(body, request.body);
  const account = pathValue(body, 'payload.account_id');
  const event: WebhookEvent = {
    id,
    type: `${ZOOM_TYPE_PREFIX}${name}`,
    source: account !== undefined ? `https://zoom.us/${account}` : 'https://zoom.us',
    subject: pathValue(body, 'payload.object.id') ?? pathValue(body, 'payload.object.uuid'),
    time: rfc3339(timestamp / 1000),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({ accountid: account, hostid: pathValue(body, 'payload.object.host_id'), trackingid: header(request, 'x-zm-trackingid') }),
  };
  return { deliveryId: id, events: [event] };
}
