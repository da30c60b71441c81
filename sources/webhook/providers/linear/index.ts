import type { WebhookProvider } from '../../types.js';
import { LINEAR_TYPE_PREFIX, mapLinear } from './mapping.js';
import { verifyLinear } from './verify.js';

/** LinearSource: Linear workspace / OAuth-app webhooks (Linear-Signature, signed webhookTimestamp within 60 s). */
export const linearProvider: WebhookProvider = {
  kind: 'LinearSource',
  description: 'Linear webhooks (Linear-Signature HMAC-SHA256, 60 s tolerance)',
  eventTypes: [`${LINEAR_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 60,
  // The limit Linear's own SDK handler accepts.
  maxBodyBytes: 5 * 1024 * 1024,
  verify: verifyLinear,
  map: (request) => mapLinear(request),
};
