import { OK, anyEqual, checkTimestamp, decodeSignature, hmac, refuse } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';

/** The three headers of a delivery: Standard Webhooks' `webhook-*` names, or Svix's `svix-*` ones. */
export function standardHeaders(request: WebhookRequest): { id?: string; timestamp?: string; signature?: string } {
  const prefix = header(request, 'webhook-signature') === undefined && header(request, 'svix-signature') !== undefined ? 'svix' : 'webhook';
  return { id: header(request, `${prefix}-id`), timestamp: header(request, `${prefix}-timestamp`), signature: header(request, `${prefix}-signature`) };
}

/** The HMAC key of a `whsec_<base64>` secret (or of a bare base64 secret): the decoded bytes. */
export function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/**
 * Standard Webhooks (and Svix): `webhook-signature: v1,<base64> v1,<base64>…`, HMAC-SHA256 keyed
 * with the base64-decoded secret over `<webhook-id>.<webhook-timestamp>.<body>`; any v1 may match
 * (several during a secret rotation), other versions (`v1a` asymmetric) are ignored; then the
 * timestamp must be within the tolerance.
 */
export function verifyStandardWebhook(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const { id, timestamp, signature } = standardHeaders(request);
  if (signature === undefined) return refuse('missing', 'the request has no webhook-signature (or svix-signature) header');
  if (id === undefined) return refuse('invalid', 'the request has no webhook-id header, which the signature covers');
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return refuse('invalid', 'the request has no webhook-timestamp in seconds, which the signature covers');
  const candidates: Buffer[] = [];
  for (const item of signature.split(' ')) {
    const comma = item.indexOf(',');
    if (comma < 0 || item.slice(0, comma) !== 'v1') continue;
    const decoded = decodeSignature(item.slice(comma + 1), 'base64');
    if (decoded) candidates.push(decoded);
  }
  if (candidates.length === 0) return refuse('invalid', 'webhook-signature has no v1 signature');
  const expected = hmac('sha256', standardKey(credentials.secret ?? ''), Buffer.concat([Buffer.from(`${id}.${timestamp}.`), request.body]));
  if (!anyEqual(expected, candidates)) return refuse('invalid', 'no v1 signature in webhook-signature matches the body and the source\'s secret');
  return checkTimestamp(Number(timestamp), context.now, context.toleranceSeconds) ?? OK;
}
