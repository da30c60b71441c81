import type { WebhookProvider } from '../../types.js';
import { STRIPE_TYPE_PREFIX, mapStripe } from './mapping.js';
import { verifyStripe } from './verify.js';

/** StripeSource: Stripe webhook endpoints (snapshot and thin events), 300 s replay window, deduped for 72 h by event id. */
export const stripeProvider: WebhookProvider = {
  kind: 'StripeSource',
  description: 'Stripe webhook events (Stripe-Signature, 300 s tolerance)',
  eventTypes: [`${STRIPE_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 300,
  verify: verifyStripe,
  map: (request) => mapStripe(request),
};
