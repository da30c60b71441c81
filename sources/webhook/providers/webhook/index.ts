import type { WebhookProvider } from '../../types.js';
import { AUTH_SCHEMA, AUTH_TOLERANCE_SECONDS, HEADER_NAME_SCHEMA, validateAuth, verifyAuth } from './auth.js';
import { JSON_POINTER_PATTERN } from './json-pointer.js';
import { WEBHOOK_DEFAULT_TYPE, mapWebhook } from './mapping.js';

const VALUE_FROM = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  properties: { header: HEADER_NAME_SCHEMA, jsonPointer: { type: 'string', pattern: JSON_POINTER_PATTERN } },
};

/**
 * WebhookSource: any system's JSON, form or raw POST as a CloudEvent, authenticated by `spec.auth`
 * (none, basic, bearer or HMAC; HMAC by default when `spec.secretToken` is set, and an explicit
 * `type: none` is required to run open). Type, id and source come from the spec.
 */
export const webhookProvider: WebhookProvider = {
  kind: 'WebhookSource',
  description: 'Any HTTP POST (JSON, form or raw) as a CloudEvent; auth none, basic, bearer or HMAC',
  eventTypes: [WEBHOOK_DEFAULT_TYPE, '*'],
  credential: 'secret',
  optionalCredential: true,
  toleranceSeconds: AUTH_TOLERANCE_SECONDS,
  specSchema: {
    type: 'object',
    properties: {
      auth: AUTH_SCHEMA,
      eventType: { type: 'string', minLength: 1 },
      typeFrom: VALUE_FROM,
      typePrefix: { type: 'string' },
      idFrom: VALUE_FROM,
      source: { type: 'string', minLength: 1 },
    },
  },
  verify: verifyAuth,
  validate: validateAuth,
  map: mapWebhook,
};
