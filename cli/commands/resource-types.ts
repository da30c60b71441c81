import { createError } from '../../core/errors.js';

/** How the CLI names and addresses one resource kind of the control API. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Extra names users may type: singular, short names (kind and plural always work). */
  aliases: string[];
}

/**
 * The broker's kinds in dependency order (export and apply walk it top to bottom). Every other kind
 * (sources, later serving) the CLI learns from the server's discovery (see discovery.ts), after
 * these; `apply` accepts any kind (the server decides).
 */
export const resourceTypes: readonly ResourceType[] = [
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, aliases: ['secret'] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, aliases: ['configmap', 'cm'] },
  { group: 'eventing.knative.dev', version: 'v1', kind: 'Broker', plural: 'brokers', namespaced: true, aliases: ['broker', 'brk'] },
  { group: 'eventing.knative.dev', version: 'v1', kind: 'Trigger', plural: 'triggers', namespaced: true, aliases: ['trigger', 'trg'] },
  { group: 'eventing.knative.dev', version: 'v1beta2', kind: 'EventType', plural: 'eventtypes', namespaced: true, aliases: ['eventtype', 'et'] },
  { group: 'messaging.knative.dev', version: 'v1', kind: 'Channel', plural: 'channels', namespaced: true, aliases: ['channel', 'ch'] },
  { group: 'messaging.knative.dev', version: 'v1', kind: 'InMemoryChannel', plural: 'inmemorychannels', namespaced: true, aliases: ['inmemorychannel', 'imc'] },
  { group: 'messaging.knative.dev', version: 'v1beta1', kind: 'KafkaChannel', plural: 'kafkachannels', namespaced: true, aliases: ['kafkachannel', 'kc'] },
  { group: 'messaging.knative.dev', version: 'v1', kind: 'Subscription', plural: 'subscriptions', namespaced: true, aliases: ['subscription', 'sub'] },
  { group: 'flows.knative.dev', version: 'v1', kind: 'Sequence', plural: 'sequences', namespaced: true, aliases: ['sequence', 'seq'] },
  { group: 'flows.knative.dev', version: 'v1', kind: 'Parallel', plural: 'parallels', namespaced: true, aliases: ['parallel'] },
];

/** The type a user names: plural, singular, short name or kind, any case, optionally `name.group` (`triggers.eventing.knative.dev`). */
export function typeByName(name: string, types: readonly ResourceType[] = resourceTypes): ResourceType {
  const wanted = name.toLowerCase();
  const dot = wanted.indexOf('.');
  const [short, group] = dot < 0 ? [wanted, undefined] : [wanted.slice(0, dot), wanted.slice(dot + 1)];
  const found = types.find(
    (t) => (group === undefined || t.group === group) && (t.plural === short || t.kind.toLowerCase() === short || t.aliases.includes(short)),
  );
  if (!found) {
    throw createError('JUNCTION_KIND_UNKNOWN', `unknown resource type "${name}" (known: ${types.map((t) => t.plural).join(', ')})`);
  }
  return found;
}

/** The type of a document from its apiVersion and kind; unknown kinds get Kubernetes' default plural so the server can answer. */
export function typeOfDocument(apiVersion: string, kind: string): ResourceType {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const known = resourceTypes.find((t) => t.group === group && t.kind === kind);
  if (known) return { ...known, version };
  return { group, version, kind, plural: `${kind.toLowerCase()}s`, namespaced: true, aliases: [] };
}

/** API path of a collection (namespace undefined: across all namespaces) or, with `name`, of one object. */
export function resourcePath(type: ResourceType, namespace: string | undefined, name?: string): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const scope = namespace === undefined || !type.namespaced ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${base}${scope}/${type.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

/** How kubectl refers to a type in messages: `trigger.eventing.knative.dev`, or `secret` for core kinds. */
export function qualifiedName(type: ResourceType): string {
  const singular = type.kind.toLowerCase();
  return type.group ? `${singular}.${type.group}` : singular;
}
