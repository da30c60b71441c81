import { OK, checkTimestamp, decodeSignature, hmac, refuse, safeEqual } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

/** Where a `v0` scheme keeps its signature and timestamp, and what its secret is called (for messages). */
export interface V0Scheme {
  signatureHeader: string;
  timestampHeader: string;
  secretName: string;
}

/**
 * The `v0` scheme Slack and Zoom share: `<signature header>: v0=<hex HMAC-SHA256 of
 * "v0:<timestamp>:<body>">` keyed with the app's secret; then the timestamp (seconds) must be
 * within the tolerance.
 */
export function verifyV0(scheme: V0Scheme, request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const { signatureHeader: name, timestampHeader } = scheme;
  const signature = header(request, name);
  if (signature === undefined) return refuse('missing', `the request has no ${name} header`);
  const timestamp = header(request, timestampHeader);
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return refuse('invalid', `the request has no ${timestampHeader} in seconds, which the signature covers`);
  if (!signature.startsWith('v0=')) return refuse('invalid', `${name} is not a v0= signature`);
  const given = decodeSignature(signature.slice(3), 'hex');
  if (given === undefined) return refuse('invalid', `${name} is not hex`);
  const expected = hmac('sha256', credentials.secret ?? '', Buffer.concat([Buffer.from(`v0:${timestamp}:`), request.body]));
  if (!safeEqual(expected, given)) return refuse('invalid', `${name} does not match the body and the app's ${scheme.secretName}`);
  return checkTimestamp(Number(timestamp), context.now, context.toleranceSeconds) ?? OK;
}

const SLACK: V0Scheme = { signatureHeader: 'x-slack-signature', timestampHeader: 'x-slack-request-timestamp', secretName: 'Signing Secret' };

/** Slack's signed secrets: `X-Slack-Signature` over `v0:<X-Slack-Request-Timestamp>:<body>` with the Signing Secret (5-minute window). */
export function verifySlack(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  return verifyV0(SLACK, request, credentials, context);
}
