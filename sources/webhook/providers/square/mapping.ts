import { createError } from '../../../../core/errors.js';
import { extensions, jsonBody, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `com.squareup.<type>`, e.g. `com.squareup.payment.created`. */
export const SQUARE_TYPE_PREFIX = 'com.squareup.';

/**
 * A Square event notification: id = `event_id` (the same on Square's retries), type from `type`,
 * source the seller (`https://connect.squareup.com/<merchant_id>`), subject `data.id`, time
 * `created_at`; extensions `merchantid`, `objecttype` (`data.type`) and `locationid` when sent.
 */
export function mapSquare(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const body = jsonBody(request);
  const id = pathValue(body, 'event_id');
  const type = pathValue(body, 'type');
  if (id === undefined || type === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'a Square event needs an event_id and a type');
  const merchant = pathValue(body, 'merchant_id');
  const event: WebhookEvent = {
    id,
    type: `${SQUARE_TYPE_PREFIX}${type}`,
    source: merchant !== undefined ? `https://connect.squareup.com/${merchant}` : 'https://connect.squareup.com',
    subject: pathValue(body, 'data.id'),
    time: rfc3339(body.created_at),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({ merchantid: merchant, objecttype: pathValue(body, 'data.type'), locationid: pathValue(body, 'location_id') }),
  };
  return { deliveryId: id, events: [event] };
}
