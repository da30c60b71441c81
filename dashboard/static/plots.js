import uPlot from './vendor/uPlot.esm.js';
import { h } from './dom.js';
import { MAX_RESOURCES, plotSpecs, sourcePlotSpecs } from './plot-specs.js';

const HEIGHT = 190;
const WINDOW_SECONDS = 15 * 60;
/** A Junction started moments ago still gets a time axis of at least this many samples. */
const MIN_SPAN_SAMPLES = 10;

/** The uPlot chart of each plot id, with the series signature it was built for and the element it draws in. */
const charts = new Map();
const observed = new Set();
let resizeObserver;

const cssVariable = (name) => window.getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** A number of events/s or milliseconds, short enough for an axis tick or the legend. */
function formatValue(value, unit) {
  if (value === null || value === undefined) return '—';
  const digits = value === 0 ? 0 : Math.abs(value) < 1 ? 2 : Math.abs(value) < 10 ? 1 : 0;
  return `${value.toFixed(digits)}${unit === 'ms' ? ' ms' : '/s'}`;
}

/**
 * Draws the four plots of `model.history` into #plots, and the two source plots into the Sources
 * card (#source-plots, hidden while there are no sources). A plot whose series are the same as
 * last time gets the new data; one whose series changed is destroyed and rebuilt; one with nothing
 * to draw is destroyed and says so — so polling never piles up charts.
 */
export function renderPlots(model) {
  const history = model.history ?? { times: [], brokers: [], triggers: [], sources: [] };
  const last = history.times.at(-1) ?? Date.now() / 1000;
  // The last 15 minutes, or since the first sample when Junction has not run that long.
  const span = { from: Math.max(last - WINDOW_SECONDS, Math.min(history.times[0] ?? last, last - MIN_SPAN_SAMPLES * (history.intervalSeconds || 1))), to: last };
  document.getElementById('plots-interval').textContent = history.intervalSeconds ? `· one sample every ${history.intervalSeconds} s` : '';
  drawPlots(document.getElementById('plots'), plotSpecs(history, model.showNamespace), history, span);
  const sourcePlots = document.getElementById('source-plots');
  const anySources = (model.sources ?? []).length > 0 || (history.sources ?? []).length > 0;
  sourcePlots.hidden = !anySources;
  drawPlots(sourcePlots, anySources ? sourcePlotSpecs(history, model.showNamespace) : [], history, span);
}

/** Draws `specs` into `container` over the time `span`; removes the plots of `container` not in `specs`. */
function drawPlots(container, specs, history, span) {
  const wanted = new Set(specs.map((spec) => spec.id));
  for (const element of container.querySelectorAll('.plot')) {
    if (wanted.has(element.dataset.plot)) continue;
    destroyChart(element.dataset.plot);
    element.remove();
  }
  for (const spec of specs) {
    const element = plotElement(container, spec);
    const body = element.querySelector('.plot-body');
    element.querySelector('.plot-note').textContent = spec.hidden > 0 ? `the ${MAX_RESOURCES} busiest; ${spec.hidden} more not drawn` : '';
    if (spec.isEmpty) {
      destroyChart(spec.id);
      body.replaceChildren(h('p', { class: 'plot-empty' }, spec.empty));
      continue;
    }
    const data = [history.times, ...spec.series.map((series) => series.values)];
    const signature = JSON.stringify(spec.series.map(({ label, color, dash }) => [label, color, dash]));
    const existing = charts.get(spec.id);
    if (existing && existing.signature === signature) {
      existing.span = span;
      existing.chart.setData(data);
      continue;
    }
    destroyChart(spec.id);
    body.replaceChildren();
    const entry = { signature, span, body, chart: undefined };
    entry.chart = new uPlot(options(spec, body.clientWidth, () => entry.span), data, body);
    charts.set(spec.id, entry);
  }
  if (specs.length > 0) observeResizes(container);
}

/** The `.plot` element of `spec` (title, note, body), created the first time it is shown. */
function plotElement(container, spec) {
  let element = container.querySelector(`.plot[data-plot="${spec.id}"]`);
  if (!element) {
    element = h('figure', { class: 'plot', 'data-plot': spec.id }, h('h3', {}, spec.title), h('span', { class: 'plot-note' }), h('div', { class: 'plot-body' }));
    container.append(element);
  }
  return element;
}

function destroyChart(id) {
  charts.get(id)?.chart.destroy();
  charts.delete(id);
}

/** uPlot options: time axis over `span()` (`{from, to}`, Unix seconds), y from zero, units on the axis and in the legend. */
function options(spec, width, span) {
  const muted = cssVariable('--muted');
  const line = cssVariable('--line');
  const axis = { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 }, font: '11px system-ui, sans-serif', labelFont: '12px system-ui, sans-serif' };
  return {
    width: Math.max(200, width),
    height: HEIGHT,
    scales: {
      x: { time: true, range: () => [span().from, span().to] },
      y: { range: (_chart, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
    },
    axes: [
      { ...axis },
      { ...axis, label: spec.unit, labelSize: 16, size: 56, values: (_chart, ticks) => ticks.map((tick) => formatValue(tick, spec.unit).replace(/\/s$/, '')) },
    ],
    series: [
      { label: 'time' },
      ...spec.series.map((series) => ({
        label: series.label,
        stroke: series.color,
        width: 2,
        dash: series.dash,
        // A translucent area under delivered shows it even where it equals received.
        fill: series.fill ? `${series.color}2e` : undefined,
        points: { show: Boolean(series.points), size: 5, fill: series.color },
        value: (_chart, value) => formatValue(value, spec.unit),
      })),
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };
}

/** Keeps every chart as wide as its plot when the window (or the container) is resized. */
function observeResizes(container) {
  resizeObserver ??= new window.ResizeObserver(() => {
    for (const entry of charts.values()) {
      const width = entry.body.clientWidth;
      if (width > 0 && Math.abs(entry.chart.width - width) > 1) entry.chart.setSize({ width: Math.max(200, width), height: HEIGHT });
    }
  });
  if (observed.has(container)) return;
  observed.add(container);
  resizeObserver.observe(container);
}
