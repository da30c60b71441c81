/** The router and activator: per-revision proxying, buffering at zero, draining, and traffic splits. */
export type { RouteTarget, RevisionLoad } from './types.js';
export { RevisionProxy, DEFAULT_BUFFER_LIMIT, DEFAULT_PROGRESS_DEADLINE_MS, type RevisionProxyOptions } from './revision-proxy.js';
export { pickTraffic, type TrafficShare } from './traffic.js';
