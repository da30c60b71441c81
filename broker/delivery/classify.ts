import { parseReply, type CloudEvent } from '../../core/cloudevent/index.js';
import type { ErrorCode } from '../../core/errors.js';
import type { HttpExchange } from './http-attempt.js';
import type { AttemptOutcome } from './types.js';

/** One attempt judged by Knative's rules: success (maybe with a reply) or a failure, retryable or not. */
export type AttemptVerdict =
  | { ok: true; outcome: 'delivered'; status: number; reply?: CloudEvent }
  | {
      ok: false;
      outcome: Exclude<AttemptOutcome, 'delivered'>;
      retryable: boolean;
      /** The HTTP status (502 for an invalid reply); undefined when no response came. */
      status?: number;
      retryAfter?: string;
      /** What the dead-letter extensions report: the answer's body or Knative's `dispatch error: …`. */
      errorBody: Buffer;
      error: string;
      code: ErrorCode;
    };

/**
 * Knative's SelectiveRetry: retry on no response, 404, 408, 409, 429 and every 5xx; never on
 * 1xx/3xx (redirects are not followed) or other 4xx.
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 404 || status === 408 || status === 409 || status === 429;
}

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Judges one exchange. With `parseReplies`, a 2xx body that claims to be a CloudEvent must be a
 * valid one, else the attempt fails as a retryable 502 (JUNCTION_REPLY_INVALID).
 */
export function judgeExchange(exchange: HttpExchange, parseReplies: boolean): AttemptVerdict {
  if (exchange.kind !== 'response') {
    const error = exchange.message;
    return { ok: false, outcome: exchange.kind, retryable: true, errorBody: Buffer.from(`dispatch error: ${error}`), error, code: 'JUNCTION_DELIVERY_FAILED' };
  }
  const { status, headers, body } = exchange;
  if (status < 200 || status > 299) {
    return {
      ok: false,
      outcome: 'rejected',
      retryable: isRetryableStatus(status),
      status,
      retryAfter: header(headers['retry-after']),
      errorBody: body,
      error: `answered HTTP ${status}`,
      code: 'JUNCTION_DELIVERY_FAILED',
    };
  }
  if (!parseReplies) return { ok: true, outcome: 'delivered', status };
  // A cut-off body cannot be a valid event: only a response that claims no event at all is fine then.
  const reply = parseReply(status, headers, exchange.truncated ? Buffer.alloc(0) : body);
  if (reply.kind === 'none') return { ok: true, outcome: 'delivered', status };
  if (reply.kind === 'event' && !exchange.truncated) return { ok: true, outcome: 'delivered', status, reply: reply.event };
  const reasons =
    reply.kind === 'invalid' && !exchange.truncated
      ? reply.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')
      : 'the reply is larger than the response size limit';
  return {
    ok: false,
    outcome: 'invalid-reply',
    retryable: true,
    status: 502,
    errorBody: body,
    error: `answered HTTP ${status} with an invalid reply event (${reasons})`,
    code: 'JUNCTION_REPLY_INVALID',
  };
}
