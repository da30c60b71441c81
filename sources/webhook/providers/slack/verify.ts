import { OK, checkTimestamp, decodeSignature, hmac, refuse, safeEqual } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * Slack's signed secrets: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<X-Slack-Request-Timestamp>:<body>">`
 * keyed with the app's Signing Secret; then the timestamp must be within the tolerance (5 minutes).
 */
export function verifySlack(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const signature = header(request, 'x-slack-signature');
  if (signature === undefined) return refuse('missing', 'the request has no X-Slack-Signature header');
  const timestamp = header(request, 'x-slack-request-timestamp');
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return refuse('invalid', 'the request has no X-Slack-Request-Timestamp in seconds, which the signature covers');
  if (!signature.startsWith('v0=')) return refuse('invalid', 'X-Slack-Signature is not a v0= signature');
  const given = decodeSignature(signature.slice(3), 'hex');
  if (given === undefined) return refuse('invalid', 'X-Slack-Signature is not hex');
  const expected = hmac('sha256', credentials.secret ?? '', Buffer.concat([Buffer.from(`v0:${timestamp}:`), request.body]));
  if (!safeEqual(expected, given)) return refuse('invalid', 'X-Slack-Signature does not match the body and the app\'s Signing Secret');
  return checkTimestamp(Number(timestamp), context.now, context.toleranceSeconds) ?? OK;
}
