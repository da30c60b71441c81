import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';

/** The raw result of one HTTP POST: a response (body read up to the limit) or a transport failure. */
export type HttpExchange =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: Buffer;
      /** True when the body was longer than the limit and only its start was read. */
      truncated: boolean;
      latencyMs: number;
    }
  | { kind: 'timeout' | 'connection-error'; message: string; latencyMs: number };

/** What to send in one attempt. */
export interface HttpRequestSpec {
  url: URL;
  headers: Record<string, string>;
  body: Buffer | string | undefined;
  /** Limit of the whole exchange (request and response body); undefined means none. */
  timeoutMs?: number;
  maxResponseBytes: number;
}

/**
 * POSTs once through `dispatcher` (no redirects followed). Transport errors and timeouts come back
 * as values; only an abort of `signal` rejects, with the signal's reason.
 */
export async function postOnce(dispatcher: Dispatcher, spec: HttpRequestSpec, signal?: AbortSignal): Promise<HttpExchange> {
  signal?.throwIfAborted();
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const deadline = new AbortController();
  const timer = spec.timeoutMs === undefined ? undefined : setTimeout(() => deadline.abort(), spec.timeoutMs);
  const unlink = signal ? link(signal, deadline) : undefined;
  try {
    const response = await dispatcher.request({
      origin: spec.url.origin,
      path: `${spec.url.pathname}${spec.url.search}`,
      method: 'POST',
      headers: spec.headers,
      body: spec.body,
      signal: deadline.signal,
    });
    const { body, truncated } = await readLimited(response.body, spec.maxResponseBytes);
    return { kind: 'response', status: response.statusCode, headers: response.headers, body, truncated, latencyMs: elapsed() };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (deadline.signal.aborted) return { kind: 'timeout', message: `timed out after ${spec.timeoutMs} ms`, latencyMs: elapsed() };
    return { kind: 'connection-error', message: describeTransportError(error), latencyMs: elapsed() };
  } finally {
    if (timer) clearTimeout(timer);
    unlink?.();
  }
}

/** Attempts in flight per caller signal; the signal gets ONE listener that aborts them all. */
const linked = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * Aborts `controller` when `signal` aborts; returns the unlink. Cheaper than AbortSignal.any or a
 * listener per attempt when thousands of attempts share one long-lived signal (a trigger's).
 */
function link(signal: AbortSignal, controller: AbortController): () => void {
  let attempts = linked.get(signal);
  if (!attempts) {
    const created = new Set<AbortController>();
    signal.addEventListener('abort', () => {
      for (const attempt of created) attempt.abort(signal.reason);
    }, { once: true });
    linked.set(signal, created);
    attempts = created;
  }
  const set = attempts;
  set.add(controller);
  return () => set.delete(controller);
}

/** Reads at most `limit` bytes of a response body and drops the rest (closing that connection). */
async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - size));
      body.destroy();
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

/** A short, secret-free description of a transport failure, e.g. `connect ECONNREFUSED 127.0.0.1:9`. */
function describeTransportError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return String(error);
}
