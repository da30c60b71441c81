import type { Replica } from '../backends/backend.js';

/** What the router needs to know of one revision to proxy to it. */
export interface RouteTarget {
  namespace: string;
  revision: string;
  /** Knative's containerConcurrency: requests one replica takes at once; 0 = unlimited. */
  containerConcurrency: number;
  /** The request's whole deadline (timeoutSeconds, default 300 s) and the wait for the first byte. */
  timeoutMs: number;
  responseStartTimeoutMs?: number;
  /** Ready replicas now. */
  replicas(): Replica[];
  /** Called when a request arrives and no replica is ready: scale from zero at once (the Poke). */
  wake(): void;
}

/** Concurrency and request counts per revision, read by the autoscaler each tick. */
export interface RevisionLoad {
  /** Requests in flight (proxied + buffered) now. */
  inFlight: number;
  /** Requests that arrived since the last read. */
  arrived: number;
  /** Requests waiting at the activator for a ready replica. */
  buffered: number;
}
