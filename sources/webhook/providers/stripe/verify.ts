import { OK, anyEqual, checkTimestamp, hmac, refuse, signatureItems } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * `Stripe-Signature: t=<seconds>,v1=<hex>,v1=<hex>…`: HMAC-SHA256 keyed with the whole `whsec_…`
 * string over `<t>.<body>`; any v1 may match (several during a secret roll), then `t` must be
 * within the tolerance. v0 (test-mode legacy) signatures are ignored, as Stripe's SDK does.
 */
export function verifyStripe(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const signature = header(request, 'stripe-signature');
  if (signature === undefined) return refuse('missing', 'the request has no Stripe-Signature header');
  const { timestamp, signatures: candidates } = signatureItems(signature, ',', 'v1', 't');
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return refuse('invalid', 'Stripe-Signature has no timestamp t=');
  if (candidates.length === 0) return refuse('invalid', 'Stripe-Signature has no v1 signature');
  const expected = hmac('sha256', credentials.secret ?? '', Buffer.concat([Buffer.from(`${timestamp}.`), request.body]));
  if (!anyEqual(expected, candidates)) return refuse('invalid', 'no v1 signature in Stripe-Signature matches the body and the endpoint secret');
  return checkTimestamp(Number(timestamp), context.now, context.toleranceSeconds) ?? OK;
}
