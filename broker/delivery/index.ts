/** Event delivery to subscribers with Knative's DeliverySpec semantics: retries, backoff, timeouts, Retry-After, dead letters. */
export type {
  AttemptInfo,
  AttemptOutcome,
  DelivererOptions,
  DeliveryLogger,
  DeliveryPolicy,
  DeliveryResult,
  DeliverySpec,
  DestinationRef,
  LocalAttempt,
} from './types.js';
export { validateDeliverySpec } from './validate.js';
export { DEFAULT_DELIVERY, backoffMs, nextWaitMs, parseRetryAfterMs, resolveDeliveryPolicy } from './policy.js';
export { isRetryableStatus } from './classify.js';
export { withErrorExtensions, ERROR_DATA_MAX_LENGTH } from './dead-letter.js';
export { Deliverer } from './deliverer.js';
export { DeliveryLane } from './delivery-lane.js';
