import type { WebhookProvider } from '../../types.js';
import { STANDARD_TYPE_PREFIX, mapStandardWebhook } from './mapping.js';
import { verifyStandardWebhook } from './verify.js';

/**
 * StandardWebhooksSource: any sender of Standard Webhooks (standardwebhooks.com) or Svix
 * (`svix-*` headers), 300 s replay window, deduped by `webhook-id`.
 */
export const standardWebhooksProvider: WebhookProvider = {
  kind: 'StandardWebhooksSource',
  description: 'Standard Webhooks / Svix deliveries (webhook-signature v1, 300 s tolerance)',
  eventTypes: [`${STANDARD_TYPE_PREFIX}.*`],
  credential: 'secret',
  toleranceSeconds: 300,
  specSchema: {
    type: 'object',
    properties: {
      typePrefix: { type: 'string', pattern: '^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$' },
      source: { type: 'string', minLength: 1 },
    },
  },
  verify: verifyStandardWebhook,
  map: mapStandardWebhook,
};
