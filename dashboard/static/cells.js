import { h } from './dom.js';
import { count, readiness } from './summaries.js';

/** Ready=False reasons that mean the engine behind a broker or channel cannot be used right now. */
const ENGINE_PROBLEMS = new Set(['EngineUnavailable', 'ChannelUnavailable']);

/** Joins parts into the keys the models use (`namespace/name`, `namespace/broker/trigger`). */
export const key = (...parts) => parts.join('/');

/** The namespace column, shown when every namespace is in view. */
export const namespaceColumn = { title: 'Namespace', field: 'namespace', cell: (resource) => resource.metadata.namespace };

/** A name that may be long: cut with an ellipsis past the column's width, in full on hover. */
export const clipped = (text) => h('span', { class: 'clip', title: text }, text);

/** The name column of a resource table. */
export const nameColumn = { title: 'Name', field: 'name', className: 'name', cell: (resource) => clipped(resource.metadata.name) };

/** "Ready", or "Not ready"/"Unknown" with the reason and message (full message on hover). */
export function readyBadge(resource) {
  return conditionBadge(readiness(resource));
}

/** The badge of a Ready condition `{ status, reason, message }` (as the stats give it for sources). */
export function conditionBadge({ status, reason = '', message = '' }) {
  const label = status === 'True' ? 'Ready' : status === 'False' ? 'Not ready' : 'Unknown';
  return h(
    'div',
    { class: 'ready', title: message || undefined },
    h('span', { class: `badge ready-${status.toLowerCase()}` }, label),
    status !== 'True' && (reason || message) ? h('span', { class: 'reason' }, [reason, message].filter(Boolean).join(': ')) : null,
  );
}

/** A counter; `warnWhenPositive` makes a non-zero value (failures) stand out. */
export function number(value, warnWhenPositive = false) {
  return h('span', { class: warnWhenPositive && value > 0 ? 'num warn' : 'num' }, count(value));
}

/** True when `resource` is not Ready because its engine (NATS, Kafka, RabbitMQ…) cannot be used. */
export function engineDown(resource) {
  const { status, reason } = readiness(resource);
  return status !== 'True' && ENGINE_PROBLEMS.has(reason);
}

/** The engine name; flagged as a warning when the resource is not Ready because of its engine. */
export function engineCell(resource, engine) {
  if (!engineDown(resource)) return engine;
  const { reason, message } = readiness(resource);
  return h('span', { class: 'engine-down', title: message || undefined }, `⚠ ${engine} unavailable`, h('span', { class: 'engine-reason' }, reason));
}

/** Row attributes marking a row whose engine is down (styled like other warnings). */
export function warnRow(resource) {
  return engineDown(resource) ? { class: 'row-warn' } : {};
}
