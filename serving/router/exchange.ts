import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Replica } from '../backends/backend.js';
import { downstreamHeaders, hasBody } from './headers.js';
import { answerProblem } from './problem.js';

/** How an attempt ended: the caller got its answer (of any kind), or nothing reached the replica (send it elsewhere). */
export type ExchangeOutcome = 'answered' | 'not-sent';

/** What one attempt sends where, and its deadlines. */
export interface ExchangeSpec {
  request: IncomingMessage;
  response: ServerResponse;
  /** Path and query to ask the replica for. */
  path: string;
  /** The headers for the replica (see `upstreamHeaders`). */
  headers: string[];
  replica: Replica;
  /** The whole answer's deadline and the wait for its first byte, from the moment the request is sent. */
  timeoutMs: number;
  responseStartTimeoutMs?: number;
}

/**
 * One request proxied to one replica, as an undici dispatch handler: request and answer bodies are
 * streamed with backpressure (never buffered), the deadlines enforced, and the outcome reported once.
 */
export class ProxyExchange implements Dispatcher.DispatchHandlers {
  private abortUpstream: ((reason?: Error) => void) | undefined;
  /** undici is about to write the request: from here on a failure is never retried. */
  private sent = false;
  private ended = false;
  private startTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private resumeUpstream: (() => void) | undefined;

  constructor(
    private readonly spec: ExchangeSpec,
    private readonly onEnd: (outcome: ExchangeOutcome) => void,
  ) {}

  /** Sends the request through `dispatcher` and arms the deadlines. */
  start(dispatcher: Dispatcher): void {
    const { request, replica, timeoutMs, responseStartTimeoutMs } = this.spec;
    if (responseStartTimeoutMs !== undefined && responseStartTimeoutMs > 0 && (timeoutMs <= 0 || responseStartTimeoutMs < timeoutMs)) {
      this.startTimer = setTimeout(() => this.timeout(`no answer began within ${responseStartTimeoutMs} ms (responseStartTimeoutSeconds)`), responseStartTimeoutMs);
    }
    if (timeoutMs > 0) this.deadlineTimer = setTimeout(() => this.timeout(`the answer did not finish within ${timeoutMs} ms (timeoutSeconds)`), timeoutMs);
    try {
      dispatcher.dispatch(
        { origin: replica.url, path: this.spec.path, method: (request.method ?? 'GET') as Dispatcher.HttpMethod, headers: this.spec.headers, body: hasBody(request) ? request : null, headersTimeout: 0, bodyTimeout: 0 },
        this,
      );
    } catch (error) {
      // undici refused the request itself (a header it cannot send): no replica would take it.
      answerProblem(this.spec.response, 'JUNCTION_BAD_REQUEST', error instanceof Error ? error.message : String(error));
      this.finish('answered');
    }
  }

  /** The caller went away: stop the upstream request. */
  cancel(): void {
    if (this.ended) return;
    this.finish('answered');
    this.abortUpstream?.(new Error('the caller closed the connection'));
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abortUpstream = abort;
    if (this.ended) abort(new Error('cancelled'));
    else this.sent = true;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null, resume: () => void, statusText: string): boolean {
    if (this.ended) return false;
    if (statusCode < 200) return true; // 1xx informational: the final answer follows
    clearTimeout(this.startTimer); // the answer began; the whole deadline still runs
    this.resumeUpstream = resume;
    const headers = downstreamHeaders(rawHeaders);
    if (statusText) this.spec.response.writeHead(statusCode, statusText, headers);
    else this.spec.response.writeHead(statusCode, headers);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.ended) return false;
    const flowing = this.spec.response.write(chunk);
    if (!flowing) this.spec.response.once('drain', () => this.resumeUpstream?.());
    return flowing;
  }

  onComplete(): void {
    if (this.ended) return;
    this.spec.response.end();
    this.finish('answered');
  }

  onError(error: Error): void {
    if (this.ended) return;
    if (!this.sent) return this.finish('not-sent');
    answerProblem(this.spec.response, 'JUNCTION_SERVICE_FAILED', `replica ${this.spec.replica.id} failed: ${describe(error)}`);
    this.finish('answered');
  }

  private timeout(detail: string): void {
    if (this.ended) return;
    answerProblem(this.spec.response, 'JUNCTION_SERVICE_TIMEOUT', detail);
    this.finish('answered');
    this.abortUpstream?.(new Error('timed out'));
  }

  private finish(outcome: ExchangeOutcome): void {
    this.ended = true;
    clearTimeout(this.startTimer);
    clearTimeout(this.deadlineTimer);
    this.onEnd(outcome);
  }
}

/** A short description of a transport failure, e.g. `ECONNRESET: other side closed`. */
function describe(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException).code;
  return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
}
