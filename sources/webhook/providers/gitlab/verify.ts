import { OK, refuse, safeEqual } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookContext, WebhookCredentials, WebhookRequest } from '../../types.js';
import { verifyStandardWebhook } from '../standard-webhooks/verify.js';

/**
 * A GitLab hook's credential, either scheme GitLab offers:
 * - a signing token (`whsec_<base64>`, GitLab 19+), Standard Webhooks: `webhook-id`,
 *   `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`
 *   (any of several may match), then the timestamp within the tolerance;
 * - a secret token: `X-Gitlab-Token` equal to the secret (it covers neither the body nor a time).
 * A request carrying `webhook-signature` is held to the signature; otherwise to the token.
 */
export function verifyGitLab(request: WebhookRequest, credentials: WebhookCredentials, context: WebhookContext): Verdict {
  const secret = credentials.secret ?? '';
  if (header(request, 'webhook-signature') !== undefined) return verifyStandardWebhook(request, credentials, context);
  const token = header(request, 'x-gitlab-token');
  if (token === undefined) return refuse('missing', 'the request has neither a webhook-signature nor an X-Gitlab-Token header');
  return secret !== '' && safeEqual(token, secret) ? OK : refuse('invalid', "X-Gitlab-Token does not equal the source's secret token");
}
