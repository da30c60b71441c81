/** The one backoff formula: delays between retries, reconnects and process restarts. */
export { backoffDelay, type BackoffPolicy } from './backoff.js';
