import { createError } from '../../../../core/errors.js';
import { extensions, header, jsonBody, pathValue, requiredHeader, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';

/** Type prefix: `com.shopify.<X-Shopify-Topic with / as .>`, e.g. `com.shopify.orders.create`. */
export const SHOPIFY_TYPE_PREFIX = 'com.shopify.';

/**
 * A Shopify webhook: id = `X-Shopify-Webhook-Id` (the same on Shopify's retries), type from
 * `X-Shopify-Topic`, source the shop (`https://<X-Shopify-Shop-Domain>`), subject the resource's
 * `admin_graphql_api_id` (else its `id`), time `X-Shopify-Triggered-At`; extensions shop, apiversion, eventid.
 */
export function mapShopify(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const deliveryId = requiredHeader(request, 'x-shopify-webhook-id');
  const topic = requiredHeader(request, 'x-shopify-topic');
  if (!/^[a-z0-9_]+(?:\/[a-z0-9_]+)*$/.test(topic)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', `x-shopify-topic "${topic}" is not a Shopify topic`);
  const shop = header(request, 'x-shopify-shop-domain');
  const body = jsonBody(request);
  const event: WebhookEvent = {
    id: deliveryId,
    type: `${SHOPIFY_TYPE_PREFIX}${topic.replaceAll('/', '.')}`,
    source: shop !== undefined && /^[A-Za-z0-9.-]+$/.test(shop) ? `https://${shop}` : 'https://shopify.com',
    // `id` is a 64-bit integer that JSON numbers may round: the GraphQL id (a string) comes first.
    subject: pathValue(body, 'admin_graphql_api_id') ?? pathValue(body, 'id'),
    time: rfc3339(header(request, 'x-shopify-triggered-at')),
    datacontenttype: 'application/json',
    data: body,
    extensions: extensions({ shop, apiversion: header(request, 'x-shopify-api-version'), eventid: header(request, 'x-shopify-event-id') }),
  };
  return { deliveryId, events: [event] };
}
