import { createError, isJunctionError, type JunctionError } from '../../core/errors.js';

/**
 * JUNCTION_STORAGE_UNAVAILABLE naming the engine, the server address and what failed; the cause's
 * text is kept only after `redact` removed anything secret from it.
 */
export function unavailable(address: string, what: string, cause?: unknown, secrets: string[] = []): JunctionError {
  if (isJunctionError(cause)) return cause;
  const reason = cause === undefined ? '' : `: ${redact(describe(cause), secrets)}`;
  return createError('JUNCTION_STORAGE_UNAVAILABLE', `RabbitMQ at ${address}: ${what}${reason}`);
}

/** The error of any call on a closed channel or factory. */
export function shuttingDown(what: string): JunctionError {
  return createError('JUNCTION_SHUTTING_DOWN', `${what} is closed`);
}

/** Removes credentials (URL user-info and the given secrets) from a message. */
export function redact(message: string, secrets: string[]): string {
  let clean = message.replace(/(amqps?:\/\/)[^@/\s]*@/gi, '$1***@');
  for (const secret of secrets) if (secret.length > 0) clean = clean.split(secret).join('***');
  return clean;
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  return String(cause);
}

/** Rejects with `onTimeout()` when `promise` has not settled within `ms`; the timer never outlives it. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The AMQP reply code of a failed operation (404 not found, 405 locked, 406 precondition), if any. */
export function replyCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}
