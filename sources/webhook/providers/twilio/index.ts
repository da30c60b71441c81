import type { WebhookProvider } from '../../types.js';
import { TWILIO_TYPE_PREFIX, mapTwilio } from './mapping.js';
import { verifyTwilio } from './verify.js';

/**
 * TwilioSource: Twilio messaging, voice and status-callback webhooks (X-Twilio-Signature over the
 * URL and the parameters; no timestamp, so replays are stopped by the dedupe).
 */
export const twilioProvider: WebhookProvider = {
  kind: 'TwilioSource',
  description: 'Twilio webhooks and status callbacks (X-Twilio-Signature, HMAC-SHA1 over URL + params)',
  eventTypes: [`${TWILIO_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 0,
  verify: (request, credentials) => verifyTwilio(request, credentials),
  map: (request) => mapTwilio(request),
  // Empty TwiML: Twilio reads it as "nothing more to do" (no warning 12300 for an incoming message; a call ends politely).
  acknowledge: () => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: '<?xml version="1.0" encoding="UTF-8"?><Response/>' }),
};
