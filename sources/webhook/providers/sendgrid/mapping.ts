import { createHash } from 'node:crypto';
import { createError } from '../../../../core/errors.js';
import { extensions, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `com.sendgrid.<event>`, e.g. `com.sendgrid.delivered`, `com.sendgrid.bounce`. */
export const SENDGRID_TYPE_PREFIX = 'com.sendgrid.';

/** The body of an Event Webhook POST: a JSON array of event objects. */
function sendGridEvents(request: WebhookRequest): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch (error) {
    throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `the body is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'the body is not a JSON array of SendGrid events');
  return parsed.map((item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `element ${index} of the body is not an event object`);
    return item as Record<string, unknown>;
  });
}

/**
 * A SendGrid Event Webhook batch, one CloudEvent per element: id = `sg_event_id`, type from
 * `event`, source `https://api.sendgrid.com`, subject the recipient `email`, time `timestamp`;
 * extensions messageid, category and bouncetype. The delivery id hashes the sorted event ids, so a
 * batch SendGrid posts again is recognised whatever its order.
 */
export function mapSendGrid(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const events = sendGridEvents(request).map((body, index): WebhookEvent => {
    const id = pathValue(body, 'sg_event_id');
    const name = pathValue(body, 'event');
    if (id === undefined || name === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `element ${index} needs an sg_event_id and an event`);
    if (!/^[a-z_]+$/.test(name)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `element ${index}: "${name}" is not a SendGrid event name`);
    const category = Array.isArray(body.category) ? body.category.filter((item) => typeof item === 'string').join(',') : pathValue(body, 'category');
    return {
      id,
      type: `${SENDGRID_TYPE_PREFIX}${name}`,
      source: 'https://api.sendgrid.com',
      subject: pathValue(body, 'email'),
      time: rfc3339(body.timestamp),
      datacontenttype: 'application/json',
      data: body,
      extensions: extensions({ messageid: pathValue(body, 'sg_message_id'), category, bouncetype: name === 'bounce' ? pathValue(body, 'type') : undefined }),
    };
  });
  const ids = events.map((event) => event.id).sort();
  const deliveryId = createHash('sha256').update(ids.join('\n')).digest('hex');
  return { deliveryId, events };
}
