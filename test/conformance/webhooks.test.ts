import { webhookConformance } from './webhook.suite.js';
import { webhookFixtures } from './webhooks/all.js';

webhookConformance(webhookFixtures);
