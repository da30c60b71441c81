import type { WebhookFixture } from './fixture.js';
import { fixturesA } from './fixtures-a.js';
import { fixturesAws } from './fixtures-aws.js';
import { fixturesB } from './fixtures-b.js';
import { github, stripeFixture } from './fixtures-core.js';
import { fixturesC } from './fixtures-c.js';
import { fixturesD } from './fixtures-d.js';

/** Every push kind's fixture: the conformance suite and the kill -9 test run them all. */
export const webhookFixtures: WebhookFixture[] = [github, stripeFixture, ...fixturesA, ...fixturesB, ...fixturesC, ...fixturesD, ...fixturesAws];
