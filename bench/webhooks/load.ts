import { createServer, type Server } from 'node:http';
import { Pool } from 'undici';
import type { Setup } from './deliveries.js';

/** The HTTP sink the trigger delivers to: answers 202 and notes when each CloudEvent id arrived. */
export interface IdSink {
  url: string;
  server: Server;
  /** ce-id → performance.now() of its first arrival. */
  arrivals: Map<string, number>;
  /** Waits until every id of `ids` arrived or `timeoutMs` passed; returns how many are missing. */
  waitForAll(ids: readonly string[], timeoutMs: number): Promise<number>;
}

export async function startIdSink(): Promise<IdSink> {
  const arrivals = new Map<string, number>();
  const server = createServer((request, response) => {
    const id = request.headers['ce-id'];
    request.resume();
    request.on('end', () => {
      if (typeof id === 'string' && !arrivals.has(id)) arrivals.set(id, performance.now());
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const missing = (ids: readonly string[]) => ids.reduce((count, id) => count + (arrivals.has(id) ? 0 : 1), 0);
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`,
    server,
    arrivals,
    async waitForAll(ids, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (let left = missing(ids); ; left = missing(ids)) {
        if (left === 0 || Date.now() >= deadline) return left;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

/** What one closed-loop run sent and got back. */
export interface LoadResult {
  /** Ids of the requests answered 2xx. */
  accepted: string[];
  /** Requests answered otherwise (or failed), by status ("error" for a transport failure). */
  refused: Map<string, number>;
  /** Milliseconds from sending to the 2xx answer, one per accepted request. */
  latencies: number[];
  startedAt: number;
  elapsedSeconds: number;
}

/**
 * Keeps `concurrency` requests of `setup` in flight on keep-alive connections for `seconds`
 * (closed loop: each answer sends the next); ids are `<prefix>-<n>`.
 */
export async function drive(pool: Pool, setup: Setup, prefix: string, seconds: number, concurrency: number): Promise<LoadResult> {
  const result: LoadResult = { accepted: [], refused: new Map(), latencies: [], startedAt: performance.now(), elapsedSeconds: 0 };
  const stopAt = result.startedAt + seconds * 1000;
  let next = 0;
  const refuse = (why: string) => result.refused.set(why, (result.refused.get(why) ?? 0) + 1);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < stopAt) {
        const id = `${prefix}-${next++}`;
        const { headers, body } = setup.delivery(id);
        const sent = performance.now();
        try {
          const response = await pool.request({ path: setup.path, method: 'POST', headers, body });
          await response.body.dump();
          if (response.statusCode >= 200 && response.statusCode < 300) {
            result.latencies.push(performance.now() - sent);
            result.accepted.push(id);
          } else refuse(String(response.statusCode));
        } catch {
          refuse('error');
        }
      }
    }),
  );
  result.elapsedSeconds = (performance.now() - result.startedAt) / 1000;
  return result;
}

/** The `p`th percentile of `values` (nearest rank), NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A pool of `concurrency` keep-alive connections to `base`, one request at a time on each. */
export function keepAlivePool(base: string, concurrency: number): Pool {
  return new Pool(base, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
}
