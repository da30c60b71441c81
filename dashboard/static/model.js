import { getJson } from './api.js';

/** The value of a namespace selection meaning "every namespace the token may see". */
export const ALL = '*';
const MAX_EVENT_SOURCES = 60;
const MAX_EVENTS = 25;

/**
 * Fetches what `identity` may see and shapes it for the views: resources of the selected
 * `namespace` (or all), their counters, recent events, totals, and rates against `previous`
 * (a Map of earlier samples, updated in place).
 */
export async function loadModel(identity, namespace, previous) {
  const scoped = identity.namespace !== ALL;
  // A cluster-wide token lists everything (to offer every namespace); a scoped one its own namespace.
  const listScope = scoped ? `/namespaces/${encodeURIComponent(identity.namespace)}` : '';
  const statsScope = namespace === ALL ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  const [brokers, triggers, eventTypes, stats] = await Promise.all([
    getJson(`/apis/eventing.knative.dev/v1${listScope}/brokers`),
    getJson(`/apis/eventing.knative.dev/v1${listScope}/triggers`),
    getJson(`/apis/eventing.knative.dev/v1beta2${listScope}/eventtypes`),
    getJson(`/apis/junction.dev/v1${statsScope}/stats`),
  ]);
  const seen = new Set([...brokers.items, ...triggers.items, ...eventTypes.items].map((item) => item.metadata.namespace));
  if (scoped) seen.add(identity.namespace);
  const inView = (candidate) => namespace === ALL || candidate === namespace;
  const pick = (list) => list.items.filter((item) => inView(item.metadata.namespace));
  const model = {
    namespaces: [...seen].sort(),
    showNamespace: namespace === ALL,
    brokers: pick(brokers),
    triggers: pick(triggers),
    eventTypes: pick(eventTypes),
  };
  model.events = await recentEvents([...model.brokers, ...model.triggers]);
  return addStats(model, stats, inView, previous);
}

/** The latest readiness events of the given brokers and triggers, newest first. */
async function recentEvents(resources) {
  const lists = await Promise.all(
    resources.slice(0, MAX_EVENT_SOURCES).map(async (resource) => {
      const { namespace, name } = resource.metadata;
      const query = new URLSearchParams({ kind: resource.kind, name });
      const answer = await getJson(`/apis/junction.dev/v1/namespaces/${encodeURIComponent(namespace)}/events?${query}`);
      return answer.items.map((event) => ({ ...event, kind: resource.kind, namespace, name }));
    }),
  );
  return lists
    .flat()
    .sort((a, b) => b.time.localeCompare(a.time))
    .slice(0, MAX_EVENTS);
}

function addStats(model, stats, inView, previous) {
  const now = Date.now();
  const brokers = stats.brokers.filter((broker) => inView(broker.namespace));
  const triggers = stats.triggers.filter((trigger) => inView(trigger.namespace));
  model.brokerStats = new Map(brokers.map((broker) => [`${broker.namespace}/${broker.name}`, broker]));
  model.triggerStats = new Map(triggers.map((trigger) => [`${trigger.namespace}/${trigger.broker}/${trigger.name}`, trigger]));
  model.rates = new Map();
  for (const broker of brokers) {
    const id = `${broker.namespace}/${broker.name}`;
    const before = previous.get(id);
    if (before && now > before.at) model.rates.set(id, Math.max(0, ((broker.received - before.received) * 1000) / (now - before.at)));
    previous.set(id, { received: broker.received, at: now });
  }
  const sum = (items, field) => items.reduce((total, item) => total + item[field], 0);
  model.totals = {
    received: sum(brokers, 'received'),
    delivered: sum(triggers, 'delivered'),
    retried: sum(triggers, 'retried'),
    deadLettered: sum(triggers, 'deadLettered'),
    failed: sum(triggers, 'failed'),
    backlog: sum(triggers, 'backlog'),
    rejected: stats.totals.rejected,
  };
  const rates = brokers.map((broker) => model.rates.get(`${broker.namespace}/${broker.name}`));
  model.totalRate = rates.every((value) => value !== undefined) ? rates.reduce((a, b) => a + b, 0) : undefined;
  return model;
}
