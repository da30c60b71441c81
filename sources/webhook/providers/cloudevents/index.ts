import type { WebhookProvider } from '../../types.js';
import { AUTH_SCHEMA, AUTH_TOLERANCE_SECONDS, validateAuth, verifyAuth } from '../webhook/auth.js';
import { mapCloudEvents } from './mapping.js';

/**
 * CloudEventsSource: CloudEvents posted over HTTP (binary, structured or batch mode) by any
 * CloudEvents SDK or producer, passed through unchanged into the sink, behind the same `spec.auth`
 * as WebhookSource (HMAC by default when `spec.secretToken` is set; an open endpoint needs
 * `auth.type: none`).
 */
export const cloudEventsProvider: WebhookProvider = {
  kind: 'CloudEventsSource',
  description: 'CloudEvents over HTTP (binary, structured, batch) passed through; auth none, basic, bearer or HMAC',
  eventTypes: ['*'],
  credential: 'secret',
  optionalCredential: true,
  toleranceSeconds: AUTH_TOLERANCE_SECONDS,
  specSchema: { type: 'object', properties: { auth: AUTH_SCHEMA } },
  verify: verifyAuth,
  validate: validateAuth,
  map: (request) => mapCloudEvents(request),
};
