import type { WebhookProvider } from '../../types.js';
import { PAGERDUTY_TYPE_PREFIX, mapPagerDuty } from './mapping.js';
import { verifyPagerDuty } from './verify.js';

/** PagerDutySource: V3 webhook subscriptions (X-PagerDuty-Signature v1=, no timestamp), deduped by event id. */
export const pagerdutyProvider: WebhookProvider = {
  kind: 'PagerDutySource',
  description: 'PagerDuty V3 webhooks (X-PagerDuty-Signature HMAC-SHA256)',
  eventTypes: [`${PAGERDUTY_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 0,
  verify: (request, credentials) => verifyPagerDuty(request, credentials),
  map: (request) => mapPagerDuty(request),
};
