import { hmac } from '../../signatures.js';
import type { HandshakeAnswer, WebhookCredentials, WebhookProvider, WebhookRequest } from '../../types.js';
import { ZOOM_TYPE_PREFIX, mapZoom } from './mapping.js';
import { verifyZoom } from './verify.js';

/** Answers Zoom's `endpoint.url_validation` with `{plainToken, encryptedToken: hex HMAC-SHA256(secret, plainToken)}`. */
export function zoomHandshake(request: WebhookRequest, credentials: WebhookCredentials): HandshakeAnswer | undefined {
  let body: { event?: unknown; payload?: { plainToken?: unknown } };
  try {
    body = JSON.parse(request.body.toString('utf8')) as typeof body;
  } catch {
    return undefined; // map() reports the unreadable body
  }
  const plainToken = body?.payload?.plainToken;
  if (body?.event !== 'endpoint.url_validation' || typeof plainToken !== 'string') return undefined;
  return { status: 200, body: { plainToken, encryptedToken: hmac('sha256', credentials.secret ?? '', plainToken).toString('hex') } };
}

/** ZoomSource: a Zoom app's event subscriptions (x-zm-signature v0, 300 s replay window), with URL validation. */
export const zoomProvider: WebhookProvider = {
  kind: 'ZoomSource',
  description: 'Zoom webhooks (x-zm-signature v0, 300 s tolerance, endpoint.url_validation)',
  eventTypes: [`${ZOOM_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 300,
  verify: verifyZoom,
  handshake: zoomHandshake,
  map: (request) => mapZoom(request),
};
