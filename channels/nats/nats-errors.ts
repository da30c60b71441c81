import { ErrorCode } from 'nats';
import { createError, JunctionError } from '../../core/errors.js';

/** JetStream API error code: the consumer (group) does not exist. */
export const JS_CONSUMER_NOT_FOUND = 10014;
/** JetStream API error code: the stream (channel) does not exist. */
export const JS_STREAM_NOT_FOUND = 10059;
/** Refusals of a setting that JetStream answers with a 500: replicas > 1 on a single server, replicas not updatable. */
const SETTING_REFUSALS = new Set([10074, 10061]);

interface ApiError {
  code?: number;
  err_code?: number;
  description?: string;
}

/** The JetStream API error carried by a nats.js error, if any. */
export function apiErrorOf(error: unknown): ApiError | undefined {
  const apiError = (error as { api_error?: ApiError } | null)?.api_error;
  return typeof apiError === 'object' && apiError !== null ? apiError : undefined;
}

/** True when JetStream answered with API error `errCode` (e.g. consumer not found). */
export function isApiError(error: unknown, errCode: number): boolean {
  return apiErrorOf(error)?.err_code === errCode;
}

/**
 * A Junction error for a failed call to the server: JetStream refusing a setting (a 400 answer, or
 * replicas the server cannot have) is
 * JUNCTION_CONFIG_INVALID, everything else (refused connection, timeout, no JetStream) is
 * JUNCTION_STORAGE_UNAVAILABLE. Messages name the engine and address, never credentials.
 */
export function natsError(address: string, action: string, error: unknown): JunctionError {
  if (error instanceof JunctionError) return error;
  const apiError = apiErrorOf(error);
  const reason = apiError?.description ?? (error as Error | undefined)?.message ?? String(error);
  if (apiError?.code === 400 || SETTING_REFUSALS.has(apiError?.err_code ?? 0)) {
    return createError('JUNCTION_CONFIG_INVALID', `NATS JetStream at ${address} rejected ${action}: ${reason}`, { cause: error });
  }
  return createError('JUNCTION_STORAGE_UNAVAILABLE', `NATS JetStream at ${address} is unavailable (${action}): ${reason}`, { cause: error });
}

/** True for failures that mean "the server is (briefly) away" (timeout, no responders), not "the server refused". */
export function retryable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  if (code === ErrorCode.Timeout || code === ErrorCode.NoResponders || code === ErrorCode.Disconnect) return true;
  return apiErrorOf(error)?.code === 503;
}
