/** Formats a count for people: 12,345. */
export function count(value) {
  return new Intl.NumberFormat().format(Math.round(value ?? 0));
}

/** Formats a rate in events per second, or an em dash when it is not known yet. */
export function rate(value) {
  return value === undefined ? '—' : value < 10 ? value.toFixed(1) : count(value);
}

/** Average delivery latency from a histogram's count and sum (seconds), for people. */
export function latency(stats) {
  if (!stats || stats.latency.count === 0) return '—';
  const ms = (stats.latency.sumSeconds / stats.latency.count) * 1000;
  return ms < 1 ? '<1 ms' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "12s ago" for an ISO time, relative to `now` (ms). */
export function ago(iso, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

/** The Ready condition of a resource: `{ status: 'True'|'False'|'Unknown', reason, message }`. */
export function readiness(resource) {
  const ready = resource.status?.conditions?.find((condition) => condition.type === 'Ready');
  return { status: ready?.status ?? 'Unknown', reason: ready?.reason ?? (ready ? '' : 'NotReconciled'), message: ready?.message ?? '' };
}

/** One line saying which events a trigger lets through (Knative `filter` or `filters` dialects). */
export function filterSummary(spec) {
  if (Array.isArray(spec?.filters) && spec.filters.length > 0) return spec.filters.map(dialect).join(' and ');
  const attributes = Object.entries(spec?.filter?.attributes ?? {});
  return attributes.length > 0 ? attributes.map(([name, value]) => `${name}=${value}`).join(', ') : 'all events';
}

function dialect(filter) {
  const [name, value] = Object.entries(filter ?? {})[0] ?? [];
  const pairs = (separator) => Object.entries(value ?? {}).map(([attribute, text]) => `${attribute}${separator}${text}`).join(', ');
  switch (name) {
    case 'exact':
      return pairs('=');
    case 'prefix':
      return pairs(' starts with ');
    case 'suffix':
      return pairs(' ends with ');
    case 'all':
      return `all(${(value ?? []).map(dialect).join('; ')})`;
    case 'any':
      return `any(${(value ?? []).map(dialect).join('; ')})`;
    case 'not':
      return `not(${dialect(value)})`;
    case 'cesql':
      return `CESQL: ${value}`;
    default:
      return JSON.stringify(filter);
  }
}

/** Where a trigger delivers: the resolved URI, else the URI or reference it was given. */
export function subscriberSummary(trigger) {
  const subscriber = trigger.spec?.subscriber ?? {};
  if (trigger.status?.subscriberUri) return trigger.status.subscriberUri;
  if (subscriber.uri && !subscriber.ref) return subscriber.uri;
  if (subscriber.ref) return `${subscriber.ref.kind}/${subscriber.ref.name}${subscriber.uri ? ` ${subscriber.uri}` : ''}`;
  return '—';
}

/** The channel engine behind a broker, as its status reports it. */
export function channelOf(broker) {
  return broker.status?.annotations?.['junction.dev/channel'] ?? broker.metadata.annotations?.['junction.dev/channel'] ?? 'default';
}

/** Where a Knative Destination points: its URI, or `Kind/name` of its ref (plus the URI it adds). */
export function destinationSummary(destination) {
  if (destination?.ref) return `${destination.ref.kind}/${destination.ref.name}${destination.uri ? ` ${destination.uri}` : ''}`;
  return destination?.uri ?? '—';
}

/** A Subscription's subscriber and reply as resolved by Junction, else as written in its spec. */
export function subscriptionEndpoints(subscription) {
  const resolved = subscription.status?.physicalSubscription ?? {};
  const spec = subscription.spec ?? {};
  return {
    subscriber: resolved.subscriberUri ?? (spec.subscriber ? destinationSummary(spec.subscriber) : '—'),
    reply: resolved.replyUri ?? (spec.reply ? destinationSummary(spec.reply) : '—'),
  };
}

/** "3 steps" for a Sequence, "2 branches" for a Parallel. */
export function flowSize(flow) {
  const [items, noun] = flow.kind === 'Parallel' ? [flow.spec?.branches, 'branch'] : [flow.spec?.steps, 'step'];
  const n = Array.isArray(items) ? items.length : 0;
  return `${n} ${noun}${n === 1 ? '' : noun === 'branch' ? 'es' : 's'}`;
}
