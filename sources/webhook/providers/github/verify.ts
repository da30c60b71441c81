import { checkBodyHmac, refuse } from '../../signatures.js';
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
  return checkBodyHmac(signature, headerName, { encoding: 'hex', prefix, secretName: "the source's secret" }, credentials.secret ?? '', request.body);
}
