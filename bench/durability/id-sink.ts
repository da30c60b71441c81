import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP subscriber on 127.0.0.1 that answers 202 and counts deliveries per event id (`ce-id`). */
export interface IdSink {
  readonly url: string;
  /** Deliveries per event id. */
  readonly counts: ReadonlyMap<string, number>;
  /** Resolves true once every id of `ids` was delivered at least once, false if `timeoutMs` passes first. */
  waitForAll(ids: Iterable<string>, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Starts an IdSink on a random port. */
export async function startIdSink(): Promise<IdSink> {
  const counts = new Map<string, number>();
  const waiters = new Set<(id: string) => void>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['ce-id']);
      counts.set(id, (counts.get(id) ?? 0) + 1);
      res.writeHead(202).end();
      for (const waiter of waiters) waiter(id);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    counts,
    waitForAll(ids, timeoutMs) {
      const missing = new Set([...ids].filter((id) => !counts.has(id)));
      if (missing.size === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const finish = (done: boolean) => {
          clearTimeout(timer);
          waiters.delete(arrived);
          resolve(done);
        };
        const arrived = (id: string) => {
          if (missing.delete(id) && missing.size === 0) finish(true);
        };
        const timer = setTimeout(() => finish(false), timeoutMs);
        waiters.add(arrived);
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
