import type { WebhookProvider } from '../../types.js';
import { SQUARE_TYPE_PREFIX, mapSquare } from './mapping.js';
import { verifySquare } from './verify.js';

/** SquareSource: Square webhook subscriptions (HMAC-SHA256 over notification URL + body), deduped by event_id. */
export const squareProvider: WebhookProvider = {
  kind: 'SquareSource',
  description: 'Square webhook events (x-square-hmacsha256-signature over URL + body)',
  eventTypes: [`${SQUARE_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 0,
  verify: (request, credentials) => verifySquare(request, credentials),
  map: (request) => mapSquare(request),
};
