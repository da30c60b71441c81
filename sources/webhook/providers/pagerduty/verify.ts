import { OK, anyEqual, hmac, refuse, signatureItems } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * PagerDuty V3: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the body>[,v1=<hex>…]` keyed with the
 * subscription's secret; several are sent while a secret is rotated and any may match. No timestamp.
 */
export function verifyPagerDuty(request: WebhookRequest, credentials: WebhookCredentials): Verdict {
  const signature = header(request, 'x-pagerduty-signature');
  if (signature === undefined) return refuse('missing', 'the request has no X-PagerDuty-Signature header');
  const candidates = signatureItems(signature, ',', 'v1').signatures;
  if (candidates.length === 0) return refuse('invalid', 'X-PagerDuty-Signature has no v1= signature');
  return anyEqual(hmac('sha256', credentials.secret ?? '', request.body), candidates) ? OK : refuse('invalid', "no v1 signature in X-PagerDuty-Signature matches the body and the subscription's secret");
}
