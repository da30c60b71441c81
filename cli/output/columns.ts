import type { Resource } from '../../core/resources/index.js';
import { age } from './age.js';

/** One column of `junction get`: its header and how to read the cell from a resource. */
export interface Column {
  header: string;
  cell(resource: Resource): string;
}

interface KindColumns {
  /** Columns between NAME and READY. */
  columns: Column[];
  /** Added by `-o wide`. */
  wide?: Column[];
  /** False for kinds without status conditions (Secret, ConfigMap): no READY/REASON. */
  conditions?: boolean;
}

/** The value at a dotted path (`spec.filter.attributes`); keys with dots go in brackets: `metadata.annotations[a.b/c]`. */
export function valueAt(object: unknown, path: string): unknown {
  const keys = [...path.matchAll(/\[([^\]]+)\]|([^.[\]]+)/g)].map((m) => m[1] ?? m[2]);
  let current = object;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
const column = (header: string, read: string | ((r: Resource) => unknown)): Column => ({
  header,
  cell: (r) => text(typeof read === 'string' ? valueAt(r, read) : read(r)),
});
const ready = (r: Resource) => r.status?.conditions?.find((c) => c.type === 'Ready');
const keyCount = (r: Resource) => Object.keys({ ...(r.data as object | undefined), ...(r.binaryData as object | undefined) }).length;
const attributes = (r: Resource) =>
  Object.entries((valueAt(r, 'spec.filter.attributes') ?? {}) as Record<string, unknown>)
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(',');

/** Where an engine on a server keeps it: the values of its `junction.dev/<engine>-<what>` status annotations (topic, stream, consumer group…). */
const engineLocation = (r: Resource) =>
  Object.entries((r.status?.annotations ?? {}) as Record<string, string>)
    .filter(([key]) => /^junction\.dev\/[a-z0-9]+-/.test(key))
    .map(([, value]) => value)
    .join(',');

/** Kind-specific columns, like the printer columns of Knative's CRDs; kinds not listed get NAME READY REASON AGE. */
const byKind: Record<string, KindColumns> = {
  Broker: {
    columns: [column('URL', 'status.address.url')],
    wide: [column('CLASS', 'metadata.annotations[eventing.knative.dev/broker.class]'), column('CHANNEL', 'status.annotations[junction.dev/channel]'), column('LOCATION', engineLocation)],
  },
  Trigger: { columns: [column('BROKER', 'spec.broker'), column('SUBSCRIBER_URI', 'status.subscriberUri')], wide: [column('FILTER', attributes), column('GROUP', engineLocation)] },
  Subscription: { columns: [column('CHANNEL', 'spec.channel.name'), column('SUBSCRIBER_URI', 'status.physicalSubscription.subscriberUri')], wide: [column('GROUP', engineLocation)] },
  EventType: {
    columns: [column('TYPE', 'spec.type'), column('SOURCE', 'spec.source'), column('BROKER', (r) => valueAt(r, 'spec.broker') ?? valueAt(r, 'spec.reference.name'))],
    wide: [column('DESCRIPTION', 'spec.description')],
  },
  Secret: { columns: [column('TYPE', 'type'), column('DATA', keyCount)], conditions: false },
  ConfigMap: { columns: [column('DATA', keyCount)], conditions: false },
};

/** Any source kind (`…Source`): where it sends (SINK), and its webhook URL with `-o wide` (push sources). */
const sourceColumns: KindColumns = { columns: [column('SINK', 'status.sinkUri')], wide: [column('URL', 'status.url')] };
byKind.PingSource = { columns: [column('SINK', 'status.sinkUri'), column('SCHEDULE', 'spec.schedule')] };

/** The columns of `junction get` for a kind: NAMESPACE (all namespaces), NAME, kind columns, READY, REASON, AGE. */
export function columnsFor(kind: string, options: { wide: boolean; allNamespaces: boolean }): Column[] {
  const entry = byKind[kind] ?? (kind.endsWith('Source') ? sourceColumns : { columns: [] });
  return [
    ...(options.allNamespaces ? [column('NAMESPACE', 'metadata.namespace')] : []),
    column('NAME', 'metadata.name'),
    ...entry.columns,
    ...(entry.conditions === false ? [] : [column('READY', (r) => ready(r)?.status ?? 'Unknown'), column('REASON', (r) => ready(r)?.reason)]),
    column('AGE', (r) => age(r.metadata.creationTimestamp)),
    ...(options.wide ? (entry.wide ?? []) : []),
  ];
}

/** Table rows of resources for the given columns. */
export function rowsOf(resources: Resource[], columns: Column[]): string[][] {
  return resources.map((resource) => columns.map((c) => c.cell(resource)));
}
