import type { WebhookProvider } from '../../types.js';
import { PADDLE_TYPE_PREFIX, mapPaddle } from './mapping.js';
import { verifyPaddle } from './verify.js';

/** PaddleSource: Paddle Billing notification destinations (Paddle-Signature, 5 s replay window), deduped by event_id. */
export const paddleProvider: WebhookProvider = {
  kind: 'PaddleSource',
  description: 'Paddle Billing webhooks (Paddle-Signature ts/h1, 5 s tolerance)',
  eventTypes: [`${PADDLE_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 5,
  verify: verifyPaddle,
  map: (request) => mapPaddle(request),
};
