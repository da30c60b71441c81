import { createError } from '../../../../core/errors.js';
import { extensions, jsonBody, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `com.paddle.<event_type>`, e.g. `com.paddle.subscription.created`. */
export const PADDLE_TYPE_PREFIX = 'com.paddle.';

/**
 * A Paddle Billing notification: id = `event_id` (the same on Paddle's retries), type from
 * `event_type`, source `https://api.paddle.com`, subject `data.id`, time `occurred_at`;
 * extensions `notificationid`, `customerid` and `status` of the entity.
 */
export function mapPaddle(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const body = jsonBody(request);
  const id = pathValue(body, 'event_id');
  const type = pathValue(body, 'event_type');
  if (id === undefined || type === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'a Paddle notification needs an event_id and an event_type');
  const event: WebhookEvent = {
    id,
    type: `${PADDLE_TYPE_PREFIX}${type}`,
    source: 'https://api.paddle.com',
    subject: pathValue(body, 'data.id'),
    time: rfc3339(body.occurred_at),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({ notificationid: pathValue(body, 'notification_id'), customerid: pathValue(body, 'data.customer_id'), status: pathValue(body, 'data.status') }),
  };
  return { deliveryId: id, events: [event] };
}
