import { createError, JunctionError } from '../../core/errors.js';

/** The broker list for messages: host:port only, so a URL-style entry can never leak credentials. */
export function describeBrokers(brokers: string[]): string {
  return brokers.map((broker) => broker.replace(/^[^@/]*@/, '')).join(',');
}

/**
 * Wraps a kafkajs failure as JUNCTION_STORAGE_UNAVAILABLE naming the engine, what failed and the
 * brokers; Junction errors pass through unchanged.
 */
export function kafkaUnavailable(error: unknown, what: string, brokers: string[]): JunctionError {
  if (error instanceof JunctionError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return createError('JUNCTION_STORAGE_UNAVAILABLE', `kafka: ${what} failed (brokers ${describeBrokers(brokers)}): ${reason}`, { cause: error });
}

/** The error of every call on a closed channel or factory. */
export function kafkaClosed(what: string): JunctionError {
  return createError('JUNCTION_SHUTTING_DOWN', `kafka: ${what} is closed`);
}
