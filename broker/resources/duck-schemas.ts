import { PRESERVE_UNKNOWN_FIELDS } from '../../core/resources/index.js';

/**
 * Knative's duck types as schema fragments that name every field (so admission can prune unknown
 * ones) without typing them: the kinds' own validation reports wrong values with Knative's messages.
 */

/** duck/v1 KReference. */
export const kReferenceSchema = { properties: { apiVersion: {}, kind: {}, name: {}, namespace: {}, group: {} } };

/** duck/v1 Destination: a ref and/or uri, with Knative's TLS and OIDC fields. */
export const destinationSchema = { type: 'object', properties: { ref: kReferenceSchema, uri: {}, CACerts: {}, audience: {} } };

/** duck/v1 DeliverySpec: kept whole here; validateDeliverySpec refuses its unknown fields itself. */
export const deliverySchema = { type: 'object', [PRESERVE_UNKNOWN_FIELDS]: true };

/** An object kept whole: its content belongs to another kind (a channelTemplate's spec) or its own validation refuses unknown fields (filters). */
export const openObjectSchema = { type: 'object', [PRESERVE_UNKNOWN_FIELDS]: true };

/** duck/v1 SubscribableSpec.subscribers: written by channel controllers, never by users. */
export const subscribersSchema = { type: 'array' };
