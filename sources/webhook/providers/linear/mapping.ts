import { createError } from '../../../../core/errors.js';
import { extensions, jsonBody, pathValue, requiredHeader, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `app.linear.<type lower-case>.<action>`, e.g. `app.linear.issue.create`. */
export const LINEAR_TYPE_PREFIX = 'app.linear.';

/**
 * A Linear webhook: id = `Linear-Delivery` (the UUID of the payload, kept on Linear's retries), type
 * from the body's `type` and `action`, source the workspace (`https://linear.app/<organizationId>`),
 * subject `data.id`, time `createdAt` (when the action happened); extensions webhookid, actor, url.
 */
export function mapLinear(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const deliveryId = requiredHeader(request, 'linear-delivery');
  const body = jsonBody(request);
  const entity = pathValue(body, 'type')?.toLowerCase();
  const action = pathValue(body, 'action')?.toLowerCase();
  if (entity === undefined || action === undefined || !/^[a-z0-9_]+$/.test(entity) || !/^[a-z0-9_]+$/.test(action)) {
    throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'a Linear webhook needs a type and an action of letters, digits or _');
  }
  const organization = pathValue(body, 'organizationId');
  const timestamp = typeof body.webhookTimestamp === 'number' ? body.webhookTimestamp / 1000 : undefined;
  const event: WebhookEvent = {
    id: deliveryId,
    type: `${LINEAR_TYPE_PREFIX}${entity}.${action}`,
    source: organization !== undefined ? `https://linear.app/${organization}` : 'https://linear.app',
    subject: pathValue(body, 'data.id'),
    time: rfc3339(body.createdAt) ?? rfc3339(timestamp),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({ webhookid: pathValue(body, 'webhookId'), actor: pathValue(body, 'actor.name'), url: pathValue(body, 'url') }),
  };
  return { deliveryId, events: [event] };
}
