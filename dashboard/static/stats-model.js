/** The key of a source in the model: kinds may share a name. */
export const sourceId = (source) => `${source.namespace}/${source.kind}/${source.name}`;

/**
 * Adds the counters of the stats document to `model`: lookups by resource key, receive rates
 * (events/s, measured against `previous`, a Map of earlier samples updated in place) and totals of
 * what `inView` keeps; and the sources (rows of their own: the stats list them), with their rates
 * of events and of refused webhook requests.
 */
export function addStats(model, stats, inView, previous) {
  const now = Date.now();
  const visible = (list) => (list ?? []).filter((entry) => inView(entry.namespace));
  const brokers = visible(stats.brokers);
  const triggers = visible(stats.triggers);
  const channels = visible(stats.channels);
  const subscriptions = visible(stats.subscriptions);
  model.brokerStats = new Map(brokers.map((broker) => [`${broker.namespace}/${broker.name}`, broker]));
  model.triggerStats = new Map(triggers.map((trigger) => [`${trigger.namespace}/${trigger.broker}/${trigger.name}`, trigger]));
  model.channelStats = new Map(channels.map((channel) => [`${channel.namespace}/${channel.name}`, channel]));
  model.subscriptionStats = new Map(subscriptions.map((subscription) => [`${subscription.namespace}/${subscription.channel}/${subscription.name}`, subscription]));

  const rateOf = (prefix, entries, idOf = (entry) => `${entry.namespace}/${entry.name}`, valueOf = (entry) => entry.received) => {
    const rates = new Map();
    for (const entry of entries) {
      const id = idOf(entry);
      const value = valueOf(entry);
      const before = previous.get(`${prefix}:${id}`);
      if (before && now > before.at) rates.set(id, Math.max(0, ((value - before.value) * 1000) / (now - before.at)));
      previous.set(`${prefix}:${id}`, { value, at: now });
    }
    return rates;
  };
  model.rates = rateOf('broker', brokers);
  model.channelRates = rateOf('channel', channels);
  model.sources = visible(stats.sources);
  model.sourceEventRates = rateOf('source-events', model.sources, sourceId, (source) => source.events);
  model.sourceRefusedRates = rateOf('source-refused', model.sources, sourceId, (source) => source.refused);

  const sum = (items, field) => items.reduce((total, item) => total + item[field], 0);
  const deliveries = [...triggers, ...subscriptions];
  model.totals = {
    received: sum(brokers, 'received') + sum(channels, 'received'),
    delivered: sum(deliveries, 'delivered'),
    retried: sum(deliveries, 'retried'),
    deadLettered: sum(deliveries, 'deadLettered'),
    failed: sum(deliveries, 'failed'),
    backlog: sum(deliveries, 'backlog'),
    rejected: stats.totals.rejected,
    sourceEvents: sum(model.sources, 'events'),
    sourcesRefused: sum(model.sources, 'refused'),
  };
  // Known once every broker and channel has a rate (from the second poll on).
  const rates = [...brokers.map((b) => model.rates.get(`${b.namespace}/${b.name}`)), ...channels.map((c) => model.channelRates.get(`${c.namespace}/${c.name}`))];
  model.totalRate = rates.every((value) => value !== undefined) ? rates.reduce((a, b) => a + b, 0) : undefined;
  return model;
}
