import { OK, decodeSignature, hmac, refuse, safeEqual } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * `x-square-hmacsha256-signature: base64 HMAC-SHA256(signature key, <notification URL> + <body>)`.
 * The URL is the subscription's notification URL (`spec.publicUrl` behind a proxy). The legacy
 * SHA-1 `x-square-signature` Square sends beside it is not accepted. No timestamp.
 */
export function verifySquare(request: WebhookRequest, credentials: WebhookCredentials): Verdict {
  const signature = header(request, 'x-square-hmacsha256-signature');
  if (signature === undefined) return refuse('missing', 'the request has no x-square-hmacsha256-signature header');
  const given = decodeSignature(signature, 'base64');
  if (given === undefined) return refuse('invalid', 'x-square-hmacsha256-signature is not base64');
  const expected = hmac('sha256', credentials.secret ?? '', Buffer.concat([Buffer.from(request.url, 'utf8'), request.body]));
  return safeEqual(expected, given) ? OK : refuse('invalid', 'x-square-hmacsha256-signature does not match the notification URL, the body and the signature key (is spec.publicUrl the URL of the subscription?)');
}
