import { OK, anyEqual, checkTimestamp, hmac, refuse, signatureItems } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * Paddle Billing: `Paddle-Signature: ts=<seconds>;h1=<hex HMAC-SHA256 of "<ts>:<body>">`, keyed
 * with the notification destination's secret key; any h1 may match (several while a secret is
 * rotated), then ts must be within the tolerance (Paddle recommends 5 s).
 */
export function verifyPaddle(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const signature = header(request, 'paddle-signature');
  if (signature === undefined) return refuse('missing', 'the request has no Paddle-Signature header');
  const { timestamp, signatures: candidates } = signatureItems(signature, ';', 'h1', 'ts');
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return refuse('invalid', 'Paddle-Signature has no timestamp ts=');
  if (candidates.length === 0) return refuse('invalid', 'Paddle-Signature has no h1 signature');
  const expected = hmac('sha256', credentials.secret ?? '', Buffer.concat([Buffer.from(`${timestamp}:`), request.body]));
  if (!anyEqual(expected, candidates)) return refuse('invalid', 'no h1 signature in Paddle-Signature matches the body and the destination\'s secret key');
  return checkTimestamp(Number(timestamp), context.now, context.toleranceSeconds) ?? OK;
}
