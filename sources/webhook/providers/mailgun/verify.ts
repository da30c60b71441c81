import { OK, checkTimestamp, decodeSignature, hmac, refuse, safeEqual } from '../../signatures.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

/** The `signature` object of a Mailgun webhook body, or undefined when the body has none. */
export function mailgunSignature(request: WebhookRequest): Record<string, unknown> | undefined {
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    return undefined;
  }
  const signature = (body as { signature?: unknown } | null)?.signature;
  return signature !== null && typeof signature === 'object' && !Array.isArray(signature) ? (signature as Record<string, unknown>) : undefined;
}

/**
 * Mailgun: the JSON body carries `signature: {timestamp, token, signature}`, where signature is the
 * hex HMAC-SHA256 of `<timestamp><token>` keyed with the HTTP webhook signing key; then timestamp
 * must be within the tolerance. The signature does not cover `event-data`: the token is the
 * dedupe key, so a replayed token (even with other event data) emits nothing.
 */
export function verifyMailgun(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const fields = mailgunSignature(request);
  if (fields === undefined || fields.signature === undefined) return refuse('missing', 'the JSON body has no signature object (legacy form webhooks are not supported)');
  const timestamp = typeof fields.timestamp === 'number' ? String(fields.timestamp) : fields.timestamp;
  const { token, signature } = fields;
  if (typeof timestamp !== 'string' || !/^\d+$/.test(timestamp)) return refuse('invalid', 'signature.timestamp is not a number of seconds');
  if (typeof token !== 'string' || token === '') return refuse('invalid', 'signature.token is missing');
  const given = typeof signature === 'string' ? decodeSignature(signature, 'hex') : undefined;
  if (given === undefined) return refuse('invalid', 'signature.signature is not hex');
  if (!safeEqual(hmac('sha256', credentials.secret ?? '', `${timestamp}${token}`), given)) return refuse('invalid', 'signature.signature does not match the timestamp, the token and the webhook signing key');
  return checkTimestamp(Number(timestamp), context.now, context.toleranceSeconds) ?? OK;
}
