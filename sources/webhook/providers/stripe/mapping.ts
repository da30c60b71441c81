import { createError } from '../../../../core/errors.js';
import { extensions, jsonBody, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `com.stripe.<event type>`, e.g. `com.stripe.payment_intent.succeeded`. */
export const STRIPE_TYPE_PREFIX = 'com.stripe.';

/**
 * A Stripe event (snapshot or thin): id = the event id (`evt_…`, the same on every retry), type from
 * `type`, source `https://api.stripe.com` (with `/accounts/<id>` for Connect events), subject the
 * object the event is about, time `created`; extensions `livemode` and `stripeaccount`.
 */
export function mapStripe(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const body = jsonBody(request);
  const id = pathValue(body, 'id');
  const type = pathValue(body, 'type');
  if (id === undefined || type === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'a Stripe event needs an id and a type');
  const account = pathValue(body, 'account') ?? pathValue(body, 'context');
  const event: WebhookEvent = {
    id,
    type: `${STRIPE_TYPE_PREFIX}${type}`,
    source: account !== undefined ? `https://api.stripe.com/accounts/${account}` : 'https://api.stripe.com',
    subject: pathValue(body, 'data.object.id') ?? pathValue(body, 'related_object.id'),
    time: rfc3339(body.created),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({ livemode: pathValue(body, 'livemode'), stripeaccount: account }),
  };
  return { deliveryId: id, events: [event] };
}
