import { OK, checkTimestamp, decodeSignature, hmac, refuse, safeEqual } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * Zoom: `x-zm-signature: v0=<hex HMAC-SHA256 of "v0:<x-zm-request-timestamp>:<body>">`, keyed
 * with the app's Secret Token; then the timestamp (seconds) must be within the tolerance.
 */
export function verifyZoom(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const signature = header(request, 'x-zm-signature');
  if (signature === undefined) return refuse('missing', 'the request has no x-zm-signature header');
  const timestamp = header(request, 'x-zm-request-timestamp');
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return refuse('invalid', 'the request has no x-zm-request-timestamp in seconds, which the signature covers');
  if (!signature.startsWith('v0=')) return refuse('invalid', 'x-zm-signature is not a v0= signature');
  const given = decodeSignature(signature.slice(3), 'hex');
  if (given === undefined) return refuse('invalid', 'x-zm-signature is not hex');
  const expected = hmac('sha256', credentials.secret ?? '', Buffer.concat([Buffer.from(`v0:${timestamp}:`), request.body]));
  if (!safeEqual(expected, given)) return refuse('invalid', 'x-zm-signature does not match the body and the app\'s Secret Token');
  return checkTimestamp(Number(timestamp), context.now, context.toleranceSeconds) ?? OK;
}
