/** The sources module's public API: the adapter contract, the built-in kinds and the module `junction start` wires. */
export type { WebhookProvider, WebhookRequest, WebhookCredentials, WebhookContext, WebhookEvent, HandshakeAnswer, Verdict, RefusalReason } from './webhook/types.js';
export { OK, refuse, hmac, safeEqual, anyEqual, decodeSignature, checkTimestamp, signatureItems } from './webhook/signatures.js';
export type { SourceAdapter, SourceApi, SourceContext, RunningSource, ScopedState } from './framework/adapter.js';
export { SourceRegistry, apisOf, type SourceTypeInfo } from './framework/registry.js';
export { createSourcesModule, type SourcesModule, type SourcesRuntime } from './framework/module.js';
export { webhookAdapter } from './webhook/adapter.js';
export { builtInSources } from './catalog.js';
export { pingEvent, PING_EVENT_TYPE } from './ping/adapter.js';
