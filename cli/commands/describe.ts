import type { Command } from 'commander';
import { isJunctionError } from '../../core/errors.js';
import type { RecordedEvent, Resource } from '../../core/resources/index.js';
import { age } from '../output/age.js';
import { toYaml } from '../output/format.js';
import { renderTable } from '../output/table.js';
import { connect, withConnectionOptions, withNamespaceOption, type ConnectionOptions } from './connection.js';
import { resourcePath } from './resource-types.js';
import { resolveType } from './discovery.js';

const STATUS_SHOWN_ELSEWHERE = new Set(['conditions', 'address', 'observedGeneration']);
const NOT_BODY_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/** `junction describe TYPE NAME`: key fields, the conditions table and recent events of one resource. */
export function registerDescribe(program: Command): void {
  const command = program
    .command('describe')
    .description('show one resource in detail: its spec, conditions (why it is or is not Ready) and recent events')
    .argument('<type>', 'resource type (brokers, triggers, eventtypes, secrets, configmaps, …)')
    .argument('<name>', 'resource name');
  withNamespaceOption(command);
  withConnectionOptions(command)
    .addHelpText('after', '\nExamples:\n  junction describe trigger greetings -n default\n  junction describe broker default')
    .action(async (typeName: string, name: string, options: ConnectionOptions & { namespace: string }) => {
      const client = connect(options);
      const type = await resolveType(client, typeName);
      const resource = await client.call<Resource>('GET', resourcePath(type, options.namespace, name));
      const events = await client
        .call<{ items: RecordedEvent[] }>('GET', `/apis/junction.dev/v1/namespaces/${encodeURIComponent(options.namespace)}/events`, { query: { kind: type.kind, name } })
        .then((answer) => answer.items)
        .catch((error: unknown) => {
          if (isJunctionError(error, 'JUNCTION_NOT_FOUND')) return [];
          throw error;
        });
      process.stdout.write(`${describe(resource, events)}\n`);
    });
}

/** The text of `describe`: kubectl's layout of labelled fields, then Conditions and Events. */
export function describe(resource: Resource, events: RecordedEvent[]): string {
  const { metadata, status } = resource;
  const lines: string[] = [];
  const field = (label: string, value: string) => lines.push(`${`${label}:`.padEnd(14)}${value}`);
  const map = (label: string, values: Record<string, string> | undefined) => {
    const entries = Object.entries(values ?? {});
    if (entries.length === 0) return field(label, '<none>');
    entries.forEach(([key, value], index) => (index === 0 ? field(label, `${key}=${value}`) : lines.push(`${' '.repeat(14)}${key}=${value}`)));
  };
  field('Name', metadata.name);
  field('Namespace', metadata.namespace ?? '');
  field('API Version', resource.apiVersion);
  field('Kind', resource.kind);
  map('Labels', metadata.labels);
  map('Annotations', metadata.annotations);
  field('Age', `${age(metadata.creationTimestamp)} (created ${metadata.creationTimestamp ?? 'unknown'})`);
  if (metadata.generation !== undefined) {
    field('Generation', `${metadata.generation}${status?.observedGeneration !== undefined ? ` (observed ${status.observedGeneration})` : ''}`);
  }
  if (status?.address?.url) field('Address', status.address.url);
  for (const [key, value] of Object.entries(resource)) {
    if (!NOT_BODY_FIELDS.has(key) && value !== undefined) block(lines, capitalize(key), value);
  }
  const extraStatus = Object.fromEntries(Object.entries(status ?? {}).filter(([key]) => !STATUS_SHOWN_ELSEWHERE.has(key)));
  if (Object.keys(extraStatus).length > 0) block(lines, 'Status', extraStatus);

  const conditions = status?.conditions ?? [];
  lines.push('Conditions:');
  if (conditions.length === 0) lines.push('  <none>');
  else {
    const rows = conditions.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '', age(c.lastTransitionTime)]);
    lines.push(indent(renderTable(['TYPE', 'STATUS', 'REASON', 'MESSAGE', 'AGE'], rows)));
  }
  lines.push('Events:');
  if (events.length === 0) lines.push('  <none>');
  else {
    const rows = events.map((e) => [e.type, e.reason, age(e.time), String(e.count), e.message]);
    lines.push(indent(renderTable(['TYPE', 'REASON', 'AGE', 'COUNT', 'MESSAGE'], rows)));
  }
  return lines.join('\n');
}

function block(lines: string[], label: string, value: unknown): void {
  if (typeof value !== 'object' || value === null) {
    lines.push(`${`${label}:`.padEnd(14)}${String(value)}`);
    return;
  }
  lines.push(`${label}:`);
  if (Object.keys(value).length === 0) lines.push('  <empty>');
  else lines.push(indent(toYaml(value).trimEnd()));
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
