import { checkBodyHmac, refuse } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * `X-Shopify-Hmac-Sha256`: the base64 HMAC-SHA256 of the body keyed with the app's client secret
 * (API secret key). Shopify signs no timestamp: replays are caught by the webhook id dedupe only.
 */
export function verifyShopify(request: WebhookRequest, credentials: WebhookCredentials): Verdict {
  const signature = header(request, 'x-shopify-hmac-sha256');
  if (signature === undefined) return refuse('missing', 'the request has no X-Shopify-Hmac-Sha256 header');
  return checkBodyHmac(signature, 'X-Shopify-Hmac-Sha256', { encoding: 'base64', secretName: "the app's client secret" }, credentials.secret ?? '', request.body);
}
