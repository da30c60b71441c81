import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One request as the subscriber saw it: what a real event consumer would receive. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the request body was complete (monotonic, for comparing gaps). */
  receivedAt: number;
  /** Remote TCP port of the connection the request came on (same port = reused connection). */
  remotePort: number;
}

/** How the subscriber answers one request. Every field is optional; the default is a bare 202. */
export interface ProgrammedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Wait this long before answering (to provoke timeouts). */
  delayMs?: number;
  /** Answer only once this settles: a subscriber that holds the request open until released. */
  until?: Promise<unknown>;
}

/** Chooses the answer for the request with the given 0-based index. */
export type ResponsePlan = ProgrammedResponse[] | ((request: RecordedRequest, index: number) => ProgrammedResponse);

/** A real HTTP server on 127.0.0.1:<random port> that records requests and answers as programmed. */
export interface HttpSubscriber {
  /** `http://127.0.0.1:<port>/` plus the path given at start. */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /**
   * Replaces the plan. An array answers request i with element i and repeats its last element
   * afterwards; a function decides per request.
   */
  respond(plan: ResponsePlan): void;
  /** TCP connections open to it right now (idle keep-alive ones included). */
  openConnections(): Promise<number>;
  /** Resolves once at least `count` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Stops listening and drops every open connection (also ones held by a delayed answer). */
  close(): Promise<void>;
}

/** How the subscriber's server behaves beyond its answers. */
export interface SubscriberOptions {
  /** How long an idle keep-alive connection stays open (Node's default: 5 s); announced to clients in `Keep-Alive`. */
  keepAliveMs?: number;
}

/** Starts a subscriber; `plan` defaults to answering 202 with no body to everything. */
export async function startHttpSubscriber(plan: ResponsePlan = [{ status: 202 }], path = '/', options: SubscriberOptions = {}): Promise<HttpSubscriber> {
  let current: ResponsePlan = plan;
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();

  const choose = (request: RecordedRequest, index: number): ProgrammedResponse => {
    if (typeof current === 'function') return current(request, index);
    if (current.length === 0) return { status: 202 };
    return current[Math.min(index, current.length - 1)];
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        receivedAt: performance.now(),
        remotePort: req.socket.remotePort ?? 0,
      };
      const index = requests.length;
      requests.push(recorded);
      for (const wake of waiters) wake();
      const answer = choose(recorded, index);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 202, answer.headers ?? {});
        res.end(answer.body);
      };
      if (answer.until) {
        answer.until.then(send, send);
      } else if (answer.delayMs && answer.delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, answer.delayMs);
        timers.add(timer);
      } else {
        send();
      }
    });
  });

  if (options.keepAliveMs !== undefined) server.keepAliveTimeout = options.keepAliveMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`,
    port,
    requests,
    respond(next: ResponsePlan) {
      current = next;
    },
    openConnections() {
      return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
    },
    waitForRequests(count: number, timeoutMs = 10_000) {
      if (requests.length >= count) return Promise.resolve(requests.slice());
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(requests.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} requests, got ${requests.length} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was bound and released), for connection-refused cases. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
