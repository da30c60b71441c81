import type { WebhookProvider } from '../../types.js';
import { GITEA_TYPE_PREFIX, mapGitea } from './mapping.js';
import { verifyGitea } from './verify.js';

/** GiteaSource: Gitea, Forgejo and Gogs repository / organization webhooks (hex HMAC-SHA256 signature, no timestamp). */
export const giteaProvider: WebhookProvider = {
  kind: 'GiteaSource',
  description: 'Gitea / Forgejo / Gogs webhooks (X-Gitea-Signature HMAC-SHA256)',
  eventTypes: [`${GITEA_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 0,
  verify: (request, credentials) => verifyGitea(request, credentials),
  map: (request) => mapGitea(request),
};
