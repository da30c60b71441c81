import type { WebhookProvider } from '../../types.js';
import { SHOPIFY_TYPE_PREFIX, mapShopify } from './mapping.js';
import { verifyShopify } from './verify.js';

/** ShopifySource: an app's HTTPS webhook subscriptions (X-Shopify-Hmac-Sha256, no timestamp), deduped by webhook id. */
export const shopifyProvider: WebhookProvider = {
  kind: 'ShopifySource',
  description: 'Shopify webhooks (X-Shopify-Hmac-Sha256)',
  eventTypes: [`${SHOPIFY_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 0,
  verify: (request, credentials) => verifyShopify(request, credentials),
  map: (request) => mapShopify(request),
};
