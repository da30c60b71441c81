import { createError } from '../../../../core/errors.js';
import { jsonBody, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookContext, WebhookEvent, WebhookRequest } from '../../types.js';
import { standardHeaders } from './verify.js';

/** Default type prefix: `com.standardwebhooks.<type>` unless the source sets `spec.typePrefix`. */
export const STANDARD_TYPE_PREFIX = 'com.standardwebhooks';

/**
 * A Standard Webhooks delivery (`{type, timestamp, data}` by the spec's recommendation): id =
 * `webhook-id` (the same on every retry), type `<typePrefix>.<type>` (`<typePrefix>.webhook` when
 * the body has no string type), source `spec.source` else `/sources/<namespace>/<name>`, time from
 * `timestamp`.
 */
export function mapStandardWebhook(request: WebhookRequest, context: WebhookContext): { deliveryId: string; events: WebhookEvent[] } {
  const { id } = standardHeaders(request);
  if (id === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'the request has no webhook-id header');
  const body = jsonBody(request);
  const prefix = typeof context.spec.typePrefix === 'string' ? context.spec.typePrefix : STANDARD_TYPE_PREFIX;
  const type = typeof body.type === 'string' && body.type !== '' ? body.type : 'webhook';
  const event: WebhookEvent = {
    id,
    type: `${prefix}.${type}`,
    source: typeof context.spec.source === 'string' ? context.spec.source : `/sources/${context.namespace}/${context.name}`,
    subject: pathValue(body, 'data.id'),
    time: rfc3339(body.timestamp),
    datacontenttype: 'application/json',
    data: body,
  };
  return { deliveryId: id, events: [event] };
}
