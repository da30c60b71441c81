import { OK, decodeSignature, hmac, refuse, safeEqual } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * `X-Shopify-Hmac-Sha256`: the base64 HMAC-SHA256 of the body keyed with the app's client secret
 * (API secret key). Shopify signs no timestamp: replays are caught by the webhook id dedupe only.
 */
export function verifyShopify(request: WebhookRequest, credentials: WebhookCredentials): Verdict {
  const signature = header(request, 'x-shopify-hmac-sha256');
  if (signature === undefined) return refuse('missing', 'the request has no X-Shopify-Hmac-Sha256 header');
  const given = decodeSignature(signature, 'base64');
  if (given === undefined) return refuse('invalid', 'X-Shopify-Hmac-Sha256 is not base64');
  return safeEqual(hmac('sha256', credentials.secret ?? '', request.body), given) ? OK : refuse('invalid', "X-Shopify-Hmac-Sha256 does not match the body and the app's client secret");
}
