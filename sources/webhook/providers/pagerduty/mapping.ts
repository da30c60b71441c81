import { createError } from '../../../../core/errors.js';
import { extensions, jsonBody, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `com.pagerduty.<event_type>`, e.g. `com.pagerduty.incident.triggered`. */
export const PAGERDUTY_TYPE_PREFIX = 'com.pagerduty.';

/**
 * A PagerDuty V3 webhook `{event: {id, event_type, resource_type, occurred_at, data}}`: id = `event.id`
 * (the same on PagerDuty's retries), source the account (`https://<subdomain>.pagerduty.com`, read from
 * `data.html_url`, else `https://api.pagerduty.com`), subject `data.id`, time `occurred_at`.
 */
export function mapPagerDuty(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const body = jsonBody(request);
  const id = pathValue(body, 'event.id');
  const eventType = pathValue(body, 'event.event_type');
  if (id === undefined || eventType === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'a PagerDuty V3 webhook needs event.id and event.event_type');
  if (!/^[a-z0-9_]+(?:\.[a-z0-9_]+)*$/.test(eventType)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `event.event_type "${eventType}" is not a PagerDuty event type`);
  const event: WebhookEvent = {
    id,
    type: `${PAGERDUTY_TYPE_PREFIX}${eventType}`,
    source: accountUrl(pathValue(body, 'event.data.html_url')),
    subject: pathValue(body, 'event.data.id'),
    time: rfc3339(pathValue(body, 'event.occurred_at')),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({ resourcetype: pathValue(body, 'event.resource_type'), serviceid: pathValue(body, 'event.data.service.id') }),
  };
  return { deliveryId: id, events: [event] };
}

/** `https://acme.pagerduty.com` (or `…eu.pagerduty.com`) from a resource's web URL. */
function accountUrl(htmlUrl: string | undefined): string {
  if (htmlUrl === undefined) return 'https://api.pagerduty.com';
  try {
    const { protocol, hostname } = new URL(htmlUrl);
    return protocol === 'https:' && /^[a-z0-9-]+\.(?:eu\.)?pagerduty\.com$/.test(hostname) ? `https://${hostname}` : 'https://api.pagerduty.com';
  } catch {
    return 'https://api.pagerduty.com';
  }
}
