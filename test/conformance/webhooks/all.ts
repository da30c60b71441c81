import type { WebhookFixture } from './fixture.js';
import { github, stripeFixture } from './fixtures-core.js';

/** Every push kind's fixture: the conformance suite and the kill -9 test run them all. */
export const webhookFixtures: WebhookFixture[] = [github, stripeFixture];
