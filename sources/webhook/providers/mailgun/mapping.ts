import { createError } from '../../../../core/errors.js';
import { extensions, jsonBody, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookContext, WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `com.mailgun.<event>`, e.g. `com.mailgun.delivered`, `com.mailgun.failed`. */
export const MAILGUN_TYPE_PREFIX = 'com.mailgun.';

/** The sending domain: `spec.domain`, else the domain of the envelope sender or of the Message-Id. */
function sendingDomain(data: Record<string, unknown>, spec: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof spec.domain === 'string') return spec.domain;
  for (const address of [pathValue(data, 'envelope.sender'), pathValue(data, 'message.headers.message-id')]) {
    const domain = address?.slice(address.lastIndexOf('@') + 1).replace(/>$/, '');
    if (address?.includes('@') && domain) return domain.toLowerCase();
  }
  return undefined;
}

/**
 * A Mailgun webhook: one event, id = `event-data.id`, type from `event-data.event`, source the
 * sending domain (`https://api.mailgun.net/v3/<domain>`), subject the recipient, time
 * `event-data.timestamp`. The delivery id is the signature token, which Mailgun makes per request.
 */
export function mapMailgun(request: WebhookRequest, context: WebhookContext): { deliveryId: string; events: WebhookEvent[] } {
  const body = jsonBody(request);
  const token = pathValue(body, 'signature.token');
  const data = body['event-data'];
  if (token === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'a Mailgun webhook needs a signature token and an event-data object');
  const eventData = data as Record<string, unknown>;
  const id = pathValue(eventData, 'id');
  const name = pathValue(eventData, 'event');
  if (id === undefined || name === undefined || !/^[a-z_-]+$/.test(name)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'event-data needs an id and an event name');
  const domain = sendingDomain(eventData, context.spec);
  const event: WebhookEvent = {
    id,
    type: `${MAILGUN_TYPE_PREFIX}${name}`,
    source: domain !== undefined ? `https://api.mailgun.net/v3/${domain}` : 'https://api.mailgun.net',
    subject: pathValue(eventData, 'recipient'),
    time: rfc3339(eventData.timestamp),
    datacontenttype: 'application/json',
    data: eventData,
    extensions: extensions({ messageid: pathValue(eventData, 'message.headers.message-id'), severity: pathValue(eventData, 'severity'), recipientdomain: pathValue(eventData, 'recipient-domain') }),
  };
  return { deliveryId: token, events: [event] };
}
