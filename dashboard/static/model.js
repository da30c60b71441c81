import { getJson } from './api.js';
import { channelRows, subscriptionRows } from './messaging-model.js';
import { addStats } from './stats-model.js';

/** The value of a namespace selection meaning "every namespace the token may see". */
export const ALL = '*';
const MAX_EVENT_SOURCES = 60;
const MAX_EVENTS = 25;

/** The lists the page shows, by model field: control API path after `/apis/`, then the plural. */
const LISTS = {
  brokers: ['eventing.knative.dev/v1', 'brokers'],
  triggers: ['eventing.knative.dev/v1', 'triggers'],
  eventTypes: ['eventing.knative.dev/v1beta2', 'eventtypes'],
  channels: ['messaging.knative.dev/v1', 'channels'],
  inMemoryChannels: ['messaging.knative.dev/v1', 'inmemorychannels'],
  kafkaChannels: ['messaging.knative.dev/v1beta1', 'kafkachannels'],
  subscriptions: ['messaging.knative.dev/v1', 'subscriptions'],
  sequences: ['flows.knative.dev/v1', 'sequences'],
  parallels: ['flows.knative.dev/v1', 'parallels'],
};

/**
 * Fetches what `identity` may see and shapes it for the views: resources of the selected
 * `namespace` (or all), their counters and 15-minute history (plots), recent events, totals, and
 * rates against `previous` (a Map of earlier samples, updated in place).
 */
export async function loadModel(identity, namespace, previous) {
  const scoped = identity.namespace !== ALL;
  // A cluster-wide token lists everything (to offer every namespace); a scoped one its own namespace.
  const listScope = scoped ? `/namespaces/${encodeURIComponent(identity.namespace)}` : '';
  const statsScope = namespace === ALL ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  const names = Object.keys(LISTS);
  const [stats, history, ...answers] = await Promise.all([
    getJson(`/apis/junction.dev/v1${statsScope}/stats`),
    getJson(`/apis/junction.dev/v1${statsScope}/stats/history`),
    ...names.map((name) => getJson(`/apis/${LISTS[name][0]}${listScope}/${LISTS[name][1]}`)),
  ]);
  const lists = Object.fromEntries(names.map((name, index) => [name, answers[index].items]));
  const seen = new Set(Object.values(lists).flatMap((items) => items.map((item) => item.metadata.namespace)));
  for (const source of stats.sources ?? []) seen.add(source.namespace);
  if (scoped) seen.add(identity.namespace);
  const inView = (candidate) => namespace === ALL || candidate === namespace;
  const pick = (items) => items.filter((item) => inView(item.metadata.namespace));
  const model = {
    namespaces: [...seen].sort(),
    showNamespace: namespace === ALL,
    brokers: pick(lists.brokers),
    triggers: pick(lists.triggers),
    eventTypes: pick(lists.eventTypes),
    channels: channelRows(pick([...lists.channels, ...lists.inMemoryChannels, ...lists.kafkaChannels])),
    subscriptions: subscriptionRows(pick(lists.subscriptions)),
    flows: pick([...lists.sequences, ...lists.parallels]),
    history,
  };
  // Flow internals and backing channels report through their flow or Channel; they add no events.
  const ownRows = (rows) => rows.filter((row) => !row.flow).map((row) => row.resource);
  model.events = await recentEvents([...model.brokers, ...model.triggers, ...model.flows, ...ownRows(model.channels), ...ownRows(model.subscriptions)]);
  return addStats(model, stats, inView, previous);
}

/** The latest readiness events of the given resources, newest first. */
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
