/** Knative Serving's resource shapes: kinds, validation, revision naming, traffic, hosts. */
export { servingKinds, serviceKind, configurationKind, revisionKind, routeKind, validateRevisionSpec, REVISION_TIMEOUT_DEFAULT_SECONDS, REVISION_TIMEOUT_MAX_SECONDS, type RevisionSpec } from './kinds.js';
export { revisionName, serviceHost, parseServiceHost, DEFAULT_DOMAIN } from './naming.js';
export { validateTraffic, resolveTraffic, DEFAULT_TRAFFIC, type TrafficTarget, type ResolvedTraffic } from './traffic.js';
