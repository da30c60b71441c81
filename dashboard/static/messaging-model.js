/** The annotation (on status, else metadata) naming the engine behind a broker or channel. */
const ENGINE_ANNOTATION = 'junction.dev/channel';
const FLOW_KINDS = new Set(['Sequence', 'Parallel']);

const ownersOf = (resource) => (Array.isArray(resource.metadata.ownerReferences) ? resource.metadata.ownerReferences : []);
const engineAnnotation = (resource) => resource?.status?.annotations?.[ENGINE_ANNOTATION] ?? resource?.metadata.annotations?.[ENGINE_ANNOTATION];

/** The Sequence or Parallel that created `resource` (`{ kind, name }`), or undefined. */
export function flowOwnerOf(resource) {
  return ownersOf(resource).find((owner) => FLOW_KINDS.has(owner.kind) && String(owner.apiVersion ?? '').startsWith('flows.knative.dev/'));
}

/**
 * One row per channel a user created: a Channel with a channelTemplate absorbs the backing channel
 * it owns (same name, e.g. an InMemoryChannel), which gets no row of its own. Each row:
 * `{ resource, kindLabel ('Channel → InMemoryChannel'), engine, flow (owning flow or undefined) }`.
 */
export function channelRows(channels) {
  const channelUids = new Set(channels.filter((channel) => channel.kind === 'Channel').map((channel) => channel.metadata.uid));
  const backingOf = new Map();
  for (const candidate of channels) {
    const owner = ownersOf(candidate).find((ref) => ref.kind === 'Channel' && channelUids.has(ref.uid) && ref.name === candidate.metadata.name);
    if (owner) backingOf.set(owner.uid, candidate);
  }
  const backing = new Set(backingOf.values());
  return channels
    .filter((channel) => !backing.has(channel))
    .map((channel) => {
      const backed = backingOf.get(channel.metadata.uid);
      const backingKind = backed?.kind ?? channel.status?.channel?.kind ?? channel.spec?.channelTemplate?.kind;
      return {
        resource: channel,
        kindLabel: channel.kind === 'Channel' && backingKind ? `Channel → ${backingKind}` : channel.kind,
        engine: engineAnnotation(channel) ?? engineAnnotation(backed) ?? '—',
        flow: flowOwnerOf(channel),
      };
    })
    .sort(byNamespaceAndName);
}

/** One row per Subscription: `{ resource, flow }`. */
export function subscriptionRows(subscriptions) {
  return subscriptions.map((subscription) => ({ resource: subscription, flow: flowOwnerOf(subscription) })).sort(byNamespaceAndName);
}

function byNamespaceAndName(a, b) {
  return a.resource.metadata.namespace.localeCompare(b.resource.metadata.namespace) || a.resource.metadata.name.localeCompare(b.resource.metadata.name);
}
