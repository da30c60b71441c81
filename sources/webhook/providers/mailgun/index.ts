import type { WebhookProvider } from '../../types.js';
import { MAILGUN_TYPE_PREFIX, mapMailgun } from './mapping.js';
import { verifyMailgun } from './verify.js';

/** MailgunSource: Mailgun's JSON webhooks (signature object in the body, 300 s window), deduped by the signature token. */
export const mailgunProvider: WebhookProvider = {
  kind: 'MailgunSource',
  description: 'Mailgun webhooks (HMAC-SHA256 signature object in the JSON body, 300 s tolerance)',
  eventTypes: [`${MAILGUN_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 300,
  specSchema: { type: 'object', properties: { domain: { type: 'string', minLength: 1 } } },
  verify: verifyMailgun,
  map: mapMailgun,
};
