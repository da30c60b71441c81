/** Series colours, in order; each broker or trigger keeps one colour within a plot. */
const PALETTE = ['#2f5fd0', '#d9480f', '#13795b', '#8f3bd6', '#0b8aa8', '#c2255c', '#a66a00', '#5c7cfa'];
/** Most brokers or triggers one plot draws (the busiest ones); more would be an unreadable tangle. */
export const MAX_RESOURCES = 6;

const sum = (values) => values.reduce((total, value) => total + (value ?? 0), 0);
const hasData = (series) => series.some((line) => line.values.some((value) => value !== null && value > 0));
const busiestFirst = (entries, weight) => entries.map((entry) => ({ entry, weight: weight(entry) })).sort((a, b) => b.weight - a.weight).map(({ entry }) => entry);

/**
 * The series of the `MAX_RESOURCES` busiest `entries` (by `weight`), one per field, labelled by
 * `labelOf`; one colour per resource, given out busiest first, so it keeps its colour within a plot.
 */
function lines(entries, weight, fields, labelOf) {
  const ranked = busiestFirst(entries, weight);
  const series = ranked.slice(0, MAX_RESOURCES).flatMap((entry, index) =>
    fields
      .filter((field) => !field.onlyIfAny || sum(entry[field.name]) > 0)
      .map((field) => ({ label: `${labelOf(entry)}${field.suffix ?? ''}`, color: PALETTE[index % PALETTE.length], dash: field.dash, fill: field.fill, points: field.points, values: entry[field.name].map(field.scale ?? ((value) => value)) })),
  );
  return { series, hidden: Math.max(0, ranked.length - MAX_RESOURCES) };
}

const withEmptiness = (history, specs) => specs.map((spec) => ({ ...spec, isEmpty: history.times.length === 0 || !hasData(spec.series) }));

/**
 * The four plots of the history document (`StatsHistory`): each `{ id, title, unit, empty, isEmpty,
 * series, hidden }` where a series is `{ label, color, dash, fill, points, values }` aligned with
 * `history.times`, busiest resource first; `hidden` counts the resources left out, `empty` is what
 * to say when no series has anything to draw.
 */
export function plotSpecs(history, showNamespace) {
  const labelOf = (entry) => (showNamespace ? `${entry.namespace}/${entry.name}` : entry.name);
  const brokers = history.brokers ?? [];
  const triggers = history.triggers ?? [];
  const troubled = triggers.filter((trigger) => sum(trigger.retried) + sum(trigger.deadLettered) + sum(trigger.failed) > 0);
  const specs = [
    {
      id: 'broker-rates',
      title: 'Events/s received and delivered, per broker',
      unit: 'events/s',
      empty: 'No traffic in the last 15 minutes',
      ...lines(brokers, (broker) => sum(broker.received) + sum(broker.delivered), [
        { name: 'received', suffix: ' received' },
        { name: 'delivered', suffix: ' delivered', dash: [6, 4], fill: true },
      ], labelOf),
    },
    {
      id: 'trigger-rates',
      title: 'Events/s delivered per trigger',
      unit: 'events/s',
      empty: 'No traffic in the last 15 minutes',
      ...lines(triggers, (trigger) => sum(trigger.delivered), [{ name: 'delivered' }], labelOf),
    },
    {
      id: 'latency',
      title: 'p99 delivery latency per broker (ms)',
      unit: 'ms',
      empty: 'No deliveries in the last 15 minutes',
      ...lines(brokers, (broker) => sum(broker.delivered), [{ name: 'p99Seconds', points: true, scale: (seconds) => (seconds === null ? null : seconds * 1000) }], labelOf),
    },
    {
      id: 'trigger-failures',
      title: 'Retries and dead letters per trigger',
      unit: 'events/s',
      empty: 'No retries or dead letters in the last 15 minutes',
      ...lines(troubled, (trigger) => sum(trigger.retried) + sum(trigger.deadLettered) + sum(trigger.failed), [
        { name: 'retried', suffix: ' retried' },
        { name: 'deadLettered', suffix: ' dead-lettered', dash: [6, 4] },
        { name: 'failed', suffix: ' failed', dash: [2, 3], onlyIfAny: true },
      ], labelOf),
    },
  ];
  return withEmptiness(history, specs);
}

/**
 * The two plots of the Sources card, shaped like `plotSpecs`: events/s per source, and webhook
 * requests/s refused for their signature (an attack, or a secret rotated on one side only) with
 * the other failures (payload invalid, not ready, sink failed) dashed where there are any.
 */
export function sourcePlotSpecs(history, showNamespace) {
  const sources = history.sources ?? [];
  const names = sources.map((source) => `${source.namespace}/${source.name}`);
  // A kind is named only where two sources of the view share a name.
  const shared = new Set(names.filter((name, index) => names.indexOf(name) !== index));
  const labelOf = (source) => `${showNamespace ? `${source.namespace}/` : ''}${source.name}${shared.has(`${source.namespace}/${source.name}`) ? ` (${source.kind})` : ''}`;
  const troubled = sources.filter((source) => sum(source.refused) + sum(source.failed) > 0);
  return withEmptiness(history, [
    {
      id: 'source-events',
      title: 'Events/s emitted per source',
      unit: 'events/s',
      empty: 'No source emitted events in the last 15 minutes',
      ...lines(sources, (source) => sum(source.events), [{ name: 'events' }], labelOf),
    },
    {
      id: 'source-refused',
      title: 'Webhook requests/s refused (missing, invalid or stale signature) per source',
      unit: 'requests/s',
      empty: 'No refused webhook requests in the last 15 minutes',
      ...lines(troubled, (source) => sum(source.refused) + sum(source.failed), [
        { name: 'refused', suffix: ' refused' },
        { name: 'failed', suffix: ' other failures', dash: [6, 4], onlyIfAny: true },
      ], labelOf),
    },
  ]);
}
