import { checkBodyHmac, refuse } from '../../signatures.js';
import { header } from '../../payload.js';
import type { Verdict, WebhookCredentials, WebhookRequest } from '../../types.js';

/** The forks' header prefixes, in the order they are looked at (Forgejo and Gitea also send Gogs' names). */
export const GITEA_FAMILY = ['gitea', 'forgejo', 'gogs'] as const;

/** The first of `X-Gitea-<suffix>`, `X-Forgejo-<suffix>`, `X-Gogs-<suffix>` the request has. */
export function familyHeader(request: WebhookRequest, suffix: string): { name: string; value: string } | undefined {
  for (const prefix of GITEA_FAMILY) {
    const name = `x-${prefix}-${suffix}`;
    const value = header(request, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/**
 * Gitea / Forgejo / Gogs: `X-Gitea-Signature` (or `X-Forgejo-Signature`, `X-Gogs-Signature`) is the
 * hex HMAC-SHA256 of the body keyed with the hook's secret, without a prefix; there is no timestamp.
 */
export function verifyGitea(request: WebhookRequest, credentials: WebhookCredentials): Verdict {
  const signature = familyHeader(request, 'signature');
  if (signature === undefined) return refuse('missing', 'the request has no X-Gitea-Signature (or X-Forgejo-Signature, X-Gogs-Signature) header');
  return checkBodyHmac(signature.value, signature.name, { encoding: 'hex', secretName: "the source's secret" }, credentials.secret ?? '', request.body);
}
