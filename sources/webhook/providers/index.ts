import type { WebhookProvider } from '../types.js';
import { githubProvider } from './github/index.js';
import { stripeProvider } from './stripe/index.js';

/** Every webhook provider Junction ships, one push-source kind each. */
export const webhookProviders: readonly WebhookProvider[] = [
  githubProvider,
  stripeProvider,
];
