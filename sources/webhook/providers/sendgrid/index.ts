import type { WebhookProvider } from '../../types.js';
import { SENDGRID_TYPE_PREFIX, mapSendGrid } from './mapping.js';
import { verifySendGrid } from './verify.js';

/**
 * SendGridSource: Twilio SendGrid's signed Event Webhook (ECDSA P-256 over timestamp + body,
 * 300 s window); each batch becomes one CloudEvent per email event.
 */
export const sendgridProvider: WebhookProvider = {
  kind: 'SendGridSource',
  description: 'SendGrid Event Webhook (signed, ECDSA P-256, 300 s tolerance), one event per email event',
  eventTypes: [`${SENDGRID_TYPE_PREFIX}*`],
  credential: 'publicKey',
  toleranceSeconds: 300,
  verify: verifySendGrid,
  map: (request) => mapSendGrid(request),
};
