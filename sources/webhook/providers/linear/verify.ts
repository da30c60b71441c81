import { OK, checkBodyHmac, checkTimestamp, refuse } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * `Linear-Signature`: the hex HMAC-SHA256 of the body keyed with the webhook's signing secret; then
 * the body's own `webhookTimestamp` (ms, covered by the signature) must be within the tolerance (60 s
 * by default, as Linear's SDK checks).
 */
export function verifyLinear(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const signature = header(request, 'linear-signature');
  if (signature === undefined) return refuse('missing', 'the request has no Linear-Signature header');
  const verdict = checkBodyHmac(signature, 'Linear-Signature', { encoding: 'hex', secretName: "the webhook's signing secret" }, credentials.secret ?? '', request.body);
  if (!verdict.ok) return verdict;
  const timestamp = webhookTimestamp(request.body);
  if (timestamp === undefined) return refuse('invalid', 'the signed body has no numeric webhookTimestamp');
  return checkTimestamp(timestamp / 1000, context.now, context.toleranceSeconds) ?? OK;
}

function webhookTimestamp(body: Buffer): number | undefined {
  try {
    const value = (JSON.parse(body.toString('utf8')) as { webhookTimestamp?: unknown } | null)?.webhookTimestamp;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
