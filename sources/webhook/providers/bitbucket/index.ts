import type { WebhookProvider } from '../../types.js';
import { verifyHubSignature } from '../github/verify.js';
import { BITBUCKET_TYPE_PREFIX, mapBitbucket } from './mapping.js';

/** BitbucketSource: Bitbucket Cloud repository webhooks with a secret (`X-Hub-Signature: sha256=<hex>`), no timestamp. */
export const bitbucketProvider: WebhookProvider = {
  kind: 'BitbucketSource',
  description: 'Bitbucket Cloud webhooks (X-Hub-Signature HMAC-SHA256)',
  eventTypes: [`${BITBUCKET_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 0,
  verify: (request, credentials) => verifyHubSignature(request, credentials, 'x-hub-signature', 'sha256='),
  map: (request) => mapBitbucket(request),
};
