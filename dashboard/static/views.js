import { engineCell, key, nameColumn, namespaceColumn, number, readyBadge, warnRow } from './cells.js';
import { emptyState, fill, h, table } from './dom.js';
import { ago, channelOf, count, filterSummary, latency, rate, readiness, subscriberSummary } from './summaries.js';

/** The header tiles: readiness and totals of what is shown. */
export function renderTotals(model) {
  const tile = (label, value, note, warn = false) => h('div', { class: warn ? 'tile warn' : 'tile', 'data-total': label }, h('span', { class: 'tile-value' }, value), h('span', { class: 'tile-label' }, label), note ? h('span', { class: 'tile-note' }, note) : null);
  const readyTile = (label, items) => {
    const ready = items.filter((item) => readiness(item).status === 'True').length;
    return tile(label, `${ready}/${items.length}`, 'ready', ready < items.length);
  };
  // Channels as listed (flow internals only while they are shown); flows stand for their internals.
  const listed = (rows) => rows.filter((row) => model.showInternals || !row.flow).map((row) => row.resource);
  const t = model.totals;
  fill(
    'totals',
    readyTile('Brokers', model.brokers),
    readyTile('Triggers', model.triggers),
    readyTile('Channels', listed(model.channels)),
    readyTile('Subscriptions', listed(model.subscriptions)),
    readyTile('Flows', model.flows),
    tile('Received', count(t.received), `${rate(model.totalRate)}/s`),
    tile('Delivered', count(t.delivered)),
    tile('Retried', count(t.retried)),
    tile('Dead-lettered', count(t.deadLettered), null, t.deadLettered > 0),
    tile('Failed', count(t.failed), null, t.failed > 0),
    tile('Backlog', count(t.backlog), null, t.backlog > 0),
    tile('Rejected', count(t.rejected), 'at ingress', t.rejected > 0),
    // Shown once there are sources: what they emitted, and webhooks refused for their signature.
    model.sources.length > 0 ? tile('Source events', count(t.sourceEvents)) : null,
    model.sources.length > 0 ? tile('Webhooks refused', count(t.sourcesRefused), 'bad signature', t.sourcesRefused > 0) : null,
  );
}

/** The brokers table, or how to create a first broker. */
export function renderBrokers(model) {
  if (model.brokers.length === 0) return fill('brokers', emptyState('No brokers yet — create one with:', 'junction apply -f examples/quickstart.yaml'));
  const stats = (broker) => model.brokerStats.get(key(broker.metadata.namespace, broker.metadata.name));
  const columns = [
    ...(model.showNamespace ? [namespaceColumn] : []),
    nameColumn,
    { title: 'Ready', field: 'ready', cell: readyBadge },
    { title: 'Address', field: 'address', cell: (broker) => (broker.status?.address?.url ? h('code', {}, broker.status.address.url) : '—') },
    { title: 'Channel', field: 'channel', cell: (broker) => engineCell(broker, channelOf(broker)) },
    { title: 'Received', field: 'received', className: 'numeric', cell: (broker) => number(stats(broker)?.received ?? 0) },
    { title: 'Rate/s', field: 'rate', className: 'numeric', cell: (broker) => rate(model.rates.get(key(broker.metadata.namespace, broker.metadata.name))) },
    { title: 'Avg latency', field: 'latency', className: 'numeric', cell: (broker) => latency(stats(broker)) },
  ];
  fill('brokers', table(columns, model.brokers, (broker) => ({ 'data-broker': key(broker.metadata.namespace, broker.metadata.name), ...warnRow(broker) })));
}

/** The triggers table with delivery counters, or what a trigger is for. */
export function renderTriggers(model) {
  if (model.triggers.length === 0) {
    return fill('triggers', emptyState('No triggers yet — a Trigger sends a broker’s events to a subscriber; the quickstart has one:', 'junction apply -f examples/quickstart.yaml'));
  }
  const stats = (trigger) => model.triggerStats.get(key(trigger.metadata.namespace, trigger.spec?.broker, trigger.metadata.name));
  const counter = (field, warn) => ({ title: field.title, field: field.name, className: 'numeric', cell: (trigger) => number(stats(trigger)?.[field.name] ?? 0, warn) });
  const columns = [
    ...(model.showNamespace ? [namespaceColumn] : []),
    nameColumn,
    { title: 'Broker', field: 'broker', cell: (trigger) => trigger.spec?.broker ?? '—' },
    { title: 'Filter', field: 'filter', className: 'filter', cell: (trigger) => filterSummary(trigger.spec) },
    { title: 'Subscriber', field: 'subscriber', cell: (trigger) => h('code', {}, subscriberSummary(trigger)) },
    { title: 'Ready', field: 'ready', cell: readyBadge },
    counter({ title: 'Delivered', name: 'delivered' }),
    counter({ title: 'Retried', name: 'retried' }),
    counter({ title: 'Dead-lettered', name: 'deadLettered' }, true),
    counter({ title: 'Failed', name: 'failed' }, true),
    counter({ title: 'Backlog', name: 'backlog' }),
  ];
  fill('triggers', table(columns, model.triggers, (trigger) => ({ 'data-trigger': key(trigger.metadata.namespace, trigger.metadata.name) })));
}

/** The event types recorded from traffic (and declared ones). */
export function renderEventTypes(model) {
  if (model.eventTypes.length === 0) {
    return fill('eventtypes', emptyState('No events seen yet — send one:', 'junction send --broker default --type dev.example.greeting --source /cli --data \'{"hello":"world"}\''));
  }
  const columns = [
    ...(model.showNamespace ? [namespaceColumn] : []),
    { title: 'Type', field: 'type', className: 'name', cell: (eventType) => eventType.spec?.type ?? '—' },
    { title: 'Source', field: 'source', cell: (eventType) => eventType.spec?.source ?? '—' },
    { title: 'Broker', field: 'broker', cell: (eventType) => eventType.spec?.broker ?? eventType.spec?.reference?.name ?? '—' },
  ];
  fill('eventtypes', table(columns, model.eventTypes));
}

/** Recent readiness changes of brokers, triggers, channels, subscriptions and flows, newest first; warnings stand out. */
export function renderEvents(model) {
  if (model.events.length === 0) return fill('events', emptyState('Nothing notable yet — readiness changes and warnings of brokers, triggers, channels, subscriptions and flows appear here.'));
  const now = Date.now();
  const items = model.events.map((event) =>
    h(
      'li',
      { class: event.type === 'Warning' ? 'event warning' : 'event', 'data-event-type': event.type },
      h('span', { class: 'event-time', title: event.time }, ago(event.time, now)),
      h('span', { class: `badge event-${event.type.toLowerCase()}` }, event.type === 'Warning' ? '⚠ Warning' : 'Normal'),
      h('span', { class: 'event-object' }, `${event.kind} ${model.showNamespace ? `${event.namespace}/` : ''}${event.name}`),
      h('span', { class: 'event-reason' }, event.reason),
      h('span', { class: 'event-message' }, event.message, event.count > 1 ? ` (×${event.count})` : ''),
    ),
  );
  fill('events', h('ul', { class: 'events' }, items));
}
