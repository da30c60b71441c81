import { clipped, conditionBadge, number } from './cells.js';
import { emptyState, fill, h, table } from './dom.js';
import { sourceId } from './stats-model.js';
import { rate } from './summaries.js';

/** A push source: it has a webhook URL, or webhook requests were counted for it. */
const isPush = (source) => source.url !== undefined || Object.values(source.requests).some((value) => value > 0);

/** A counter of webhook requests, or an em dash for sources nobody pushes to (PingSource, ContainerSource). */
const requests = (source, value, warn = false) => (isPush(source) ? number(value, warn) : '—');

/**
 * A total and, below it, its non-zero parts (`[[count, label], …]`; the full split on hover) and,
 * while it is growing, its current rate (`now`, per second): an attack in progress stands out.
 */
function withParts(source, total, parts, now) {
  if (!isPush(source)) return '—';
  const shown = parts.filter(([value]) => value > 0);
  return h(
    'div',
    { class: 'parts', title: parts.map(([value, label]) => `${label}: ${value}`).join(', ') },
    number(total, true),
    shown.map(([value, label]) => h('span', { class: 'part', 'data-part': label }, `${value} ${label}`)),
    now > 0 ? h('span', { class: 'part now', 'data-part': 'rate' }, `${rate(now)}/s now`) : null,
  );
}

/**
 * The Sources table: per source, events emitted (total and rate) and webhook requests by outcome
 * (the refused ones — missing, invalid or stale signatures — are the security signal, with their
 * rate while it is not zero); or where to start.
 */
export function renderSources(model) {
  if (model.sources.length === 0) {
    return fill('sources', emptyState('No sources yet — a source turns webhooks (GitHub, Stripe, any HTTP POST) or a schedule into events; see docs/sources/README.md'));
  }
  const columns = [
    ...(model.showNamespace ? [{ title: 'Namespace', field: 'namespace', cell: (source) => source.namespace }] : []),
    { title: 'Name', field: 'name', className: 'name', cell: (source) => h('span', { class: 'clip', title: [source.name, source.url].filter(Boolean).join('\n') }, source.name) },
    { title: 'Kind', field: 'kind', cell: (source) => clipped(source.kind) },
    { title: 'Ready', field: 'ready', cell: (source) => (source.ready ? conditionBadge(source.ready) : '—') },
    { title: 'Events', field: 'events', className: 'numeric', cell: (source) => number(source.events) },
    { title: 'Events/s', field: 'eventRate', className: 'numeric', cell: (source) => rate(model.sourceEventRates.get(sourceId(source))) },
    { title: 'Accepted', field: 'accepted', className: 'numeric', cell: (source) => requests(source, source.requests.accepted) },
    { title: 'Duplicates', field: 'duplicate', className: 'numeric', cell: (source) => requests(source, source.requests.duplicate) },
    {
      title: 'Refused (signature)',
      field: 'refused',
      className: 'numeric',
      cell: (source) =>
        withParts(source, source.refused, [
          [source.requests.refusedMissing, 'missing'],
          [source.requests.refusedInvalid, 'invalid'],
          [source.requests.refusedStale, 'stale'],
        ], model.sourceRefusedRates.get(sourceId(source))),
    },
    { title: 'Payload invalid', field: 'payloadInvalid', className: 'numeric', cell: (source) => requests(source, source.requests.payloadInvalid, true) },
    {
      title: 'Not ready / sink failed',
      field: 'unavailable',
      className: 'numeric',
      cell: (source) =>
        withParts(source, source.requests.notReady + source.requests.sinkFailed, [
          [source.requests.notReady, 'not ready'],
          [source.requests.sinkFailed, 'sink failed'],
        ]),
    },
  ];
  fill('sources', table(columns, model.sources, (source) => ({ 'data-source': sourceId(source) })));
}
