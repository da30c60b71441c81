import { webhookConformance } from '../conformance/webhook.suite.js';
import { webhookFixtures } from '../conformance/webhooks/all.js';

webhookConformance(webhookFixtures);
