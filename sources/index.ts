/** The sources module's public API: webhook providers' contract and shared signature checks. */
export type { WebhookProvider, WebhookRequest, WebhookCredentials, WebhookContext, WebhookEvent, HandshakeAnswer, Verdict, RefusalReason } from './webhook/types.js';
export { OK, refuse, hmac, safeEqual, anyEqual, decodeSignature, checkTimestamp } from './webhook/signatures.js';
