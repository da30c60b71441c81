import { clipped, engineCell, key, nameColumn, namespaceColumn, number, readyBadge, warnRow } from './cells.js';
import { emptyState, fill, h, table } from './dom.js';
import { flowSize, rate, subscriptionEndpoints } from './summaries.js';

const SEE_DOCS = 'see docs/messaging.md';
const onResource = (column) => ({ ...column, cell: (row) => column.cell(row.resource) });

/** The "show flow internals" checkbox (app.js listens to it), with how many rows it hides. */
function internalsToggle(model, hidden, noun) {
  const label = model.showInternals ? 'show flow internals' : `show flow internals (${hidden} ${noun}${hidden === 1 ? '' : 's'} hidden)`;
  return h('label', { class: 'toggle' }, h('input', { type: 'checkbox', 'data-toggle': 'flow-internals', checked: model.showInternals }), label);
}

/** Rows to show: those a flow created only when flow internals are on; plus the toggle when any exist. */
function visibleRows(model, rows, noun) {
  const internal = rows.filter((row) => row.flow).length;
  const shown = model.showInternals ? rows : rows.filter((row) => !row.flow);
  return { shown, toggle: internal > 0 ? internalsToggle(model, internal, noun) : null };
}

/** The name, and which flow made the object when it is one of its internals. */
function nameWithFlow(row) {
  return [clipped(row.resource.metadata.name), row.flow ? h('span', { class: 'part-of' }, `part of ${row.flow.kind} ${row.flow.name}`) : null];
}

/** The channels table (a templated Channel and its backing channel are one row), or where to start. */
export function renderChannels(model) {
  const { shown, toggle } = visibleRows(model, model.channels, 'channel');
  if (shown.length === 0) {
    const message = model.channels.length === 0 ? `No channels yet — ${SEE_DOCS}` : 'Only channels created by flows so far — tick “show flow internals” to list them.';
    return fill('channels', toggle, emptyState(message));
  }
  const id = (row) => key(row.resource.metadata.namespace, row.resource.metadata.name);
  const columns = [
    ...(model.showNamespace ? [onResource(namespaceColumn)] : []),
    { ...nameColumn, cell: nameWithFlow },
    { title: 'Kind', field: 'kind', cell: (row) => row.kindLabel },
    { title: 'Engine', field: 'engine', cell: (row) => engineCell(row.resource, row.engine) },
    { title: 'Ready', field: 'ready', cell: (row) => readyBadge(row.resource) },
    { title: 'Address', field: 'address', cell: (row) => (row.resource.status?.address?.url ? h('code', {}, row.resource.status.address.url) : '—') },
    { title: 'Received', field: 'received', className: 'numeric', cell: (row) => number(model.channelStats.get(id(row))?.received ?? 0) },
    { title: 'Rate/s', field: 'rate', className: 'numeric', cell: (row) => rate(model.channelRates.get(id(row))) },
  ];
  fill('channels', toggle, table(columns, shown, (row) => ({ 'data-channel': id(row), ...warnRow(row.resource) })));
}

/** The subscriptions table with delivery counters, or what a subscription is for. */
export function renderSubscriptions(model) {
  const { shown, toggle } = visibleRows(model, model.subscriptions, 'subscription');
  if (shown.length === 0) {
    const message =
      model.subscriptions.length === 0
        ? `No subscriptions yet — a Subscription sends every event of a channel to a subscriber; ${SEE_DOCS}`
        : 'Only subscriptions created by flows so far — tick “show flow internals” to list them.';
    return fill('subscriptions', toggle, emptyState(message));
  }
  const channelOf = (subscription) => subscription.spec?.channel ?? {};
  const stats = (subscription) => model.subscriptionStats.get(key(subscription.metadata.namespace, channelOf(subscription).name, subscription.metadata.name));
  const counter = (title, field, warn = false) => ({ title, field, className: 'numeric', cell: (row) => number(stats(row.resource)?.[field] ?? 0, warn) });
  const columns = [
    ...(model.showNamespace ? [onResource(namespaceColumn)] : []),
    { ...nameColumn, cell: nameWithFlow },
    { title: 'Channel', field: 'channel', cell: (row) => ((c) => (c.kind && c.kind !== 'Channel' ? `${c.kind}/${c.name}` : (c.name ?? '—')))(channelOf(row.resource)) },
    { title: 'Subscriber', field: 'subscriber', cell: (row) => h('code', {}, subscriptionEndpoints(row.resource).subscriber) },
    { title: 'Reply', field: 'reply', cell: (row) => h('code', {}, subscriptionEndpoints(row.resource).reply) },
    { title: 'Ready', field: 'ready', cell: (row) => readyBadge(row.resource) },
    counter('Delivered', 'delivered'),
    counter('Retried', 'retried'),
    counter('Dead-lettered', 'deadLettered', true),
    counter('Failed', 'failed', true),
  ];
  fill('subscriptions', toggle, table(columns, shown, (row) => ({ 'data-subscription': key(row.resource.metadata.namespace, row.resource.metadata.name) })));
}

/** The Sequence and Parallel table, or what flows are. */
export function renderFlows(model) {
  if (model.flows.length === 0) return fill('flows', emptyState(`No flows yet — a Sequence calls steps in order, a Parallel fans out to branches; ${SEE_DOCS}`));
  const columns = [
    ...(model.showNamespace ? [namespaceColumn] : []),
    { title: 'Kind', field: 'kind', cell: (flow) => flow.kind },
    nameColumn,
    { title: 'Ready', field: 'ready', cell: readyBadge },
    { title: 'Steps / branches', field: 'size', cell: flowSize },
    { title: 'Address', field: 'address', cell: (flow) => (flow.status?.address?.url ? h('code', {}, flow.status.address.url) : '—') },
  ];
  const sorted = [...model.flows].sort((a, b) => a.metadata.namespace.localeCompare(b.metadata.namespace) || a.metadata.name.localeCompare(b.metadata.name) || a.kind.localeCompare(b.kind));
  fill('flows', table(columns, sorted, (flow) => ({ 'data-flow': key(flow.metadata.namespace, flow.kind.toLowerCase(), flow.metadata.name) })));
}
