/** Series colours, in order; each broker or trigger keeps one colour within a plot. */
const PALETTE = ['#2f5fd0', '#d9480f', '#13795b', '#8f3bd6', '#0b8aa8', '#c2255c', '#a66a00', '#5c7cfa'];
/** Most brokers or triggers one plot draws (the busiest ones); more would be an unreadable tangle. */
export const MAX_RESOURCES = 6;

const sum = (values) => values.reduce((total, value) => total + (value ?? 0), 0);
const hasData = (series) => series.some((line) => line.values.some((value) => value !== null && value > 0));

/**
 * The four plots of the history document (`StatsHistory`): each `{ id, title, unit, empty, isEmpty,
 * series, hidden }` where a series is `{ label, color, dash, fill, points, values }` aligned with
 * `history.times`, busiest resource first; `hidden` counts the resources left out, `empty` is what
 * to say when no series has anything to draw.
 */
export function plotSpecs(history, showNamespace) {
  const labelOf = (entry) => (showNamespace ? `${entry.namespace}/${entry.name}` : entry.name);
  const busiestFirst = (entries, weight) => entries.map((entry) => ({ entry, weight: weight(entry) })).sort((a, b) => b.weight - a.weight).map(({ entry }) => entry);
  // One colour per resource, given out busiest first, so the same resource keeps its colour within a plot.
  const lines = (entries, weight, fields) => {
    const ranked = busiestFirst(entries, weight);
    const series = ranked.slice(0, MAX_RESOURCES).flatMap((entry, index) =>
      fields
        .filter((field) => !field.onlyIfAny || sum(entry[field.name]) > 0)
        .map((field) => ({ label: `${labelOf(entry)}${field.suffix ?? ''}`, color: PALETTE[index % PALETTE.length], dash: field.dash, fill: field.fill, points: field.points, values: entry[field.name].map(field.scale ?? ((value) => value)) })),
    );
    return { series, hidden: Math.max(0, ranked.length - MAX_RESOURCES) };
  };
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
      ]),
    },
    {
      id: 'trigger-rates',
      title: 'Events/s delivered per trigger',
      unit: 'events/s',
      empty: 'No traffic in the last 15 minutes',
      ...lines(triggers, (trigger) => sum(trigger.delivered), [{ name: 'delivered' }]),
    },
    {
      id: 'latency',
      title: 'p99 delivery latency per broker (ms)',
      unit: 'ms',
      empty: 'No deliveries in the last 15 minutes',
      ...lines(brokers, (broker) => sum(broker.delivered), [{ name: 'p99Seconds', points: true, scale: (seconds) => (seconds === null ? null : seconds * 1000) }]),
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
      ]),
    },
  ];
  return specs.map((spec) => ({ ...spec, isEmpty: history.times.length === 0 || !hasData(spec.series) }));
}
