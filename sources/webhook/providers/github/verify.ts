import { OK, decodeSignature, hmac, refuse, safeEqual } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookCredentials, WebhookRequest } from '../../types.js';

/**
 * GitHub's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>` (also Gitea/Forgejo and
 * Bitbucket use the same shape under other names). The SHA-1 `X-Hub-Signature` GitHub sends beside
 * it is not accepted: SHA-256 is always sent.
 */
export function verifyHubSignature(request: WebhookRequest, credentials: WebhookCredentials, headerName = 'x-hub-signature-256', prefix = 'sha256='): Verdict {
  const signature = header(request, headerName);
  if (signature === undefined) return refuse('missing', `the request has no ${headerName} header`);
  if (!signature.startsWith(prefix)) return refuse('invalid', `${headerName} does not start with ${prefix}`);
  const given = decodeSignature(signature.slice(prefix.length), 'hex');
  if (given === undefined) return refuse('invalid', `${headerName} is not hex`);
  return safeEqual(hmac('sha256', credentials.secret ?? '', request.body), given) ? OK : refuse('invalid', `${headerName} does not match the body and the source's secret`);
}
