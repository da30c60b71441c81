import { serviceUrl } from './services.js';
import { deleteRabbitmqObjects, rabbitmqctl } from '../../bench/support/rabbitmq-admin.js';

// The server's objects are listed and removed in bench/support: the benchmarks use that too.
export { exchangesWithPrefix, queuesWithPrefix } from '../../bench/support/rabbitmq-admin.js';

/** The shared RabbitMQ of docs/testing.md (`RABBITMQ_URL`; test setup starts the local one when it is down). */
export const RABBITMQ_URL = serviceUrl('RabbitMQ');

/** A name prefix no other test run uses, so objects on the shared server never collide. */
export function uniquePrefix(label: string): string {
  return `junction-test-${label}-${process.pid}-${Date.now().toString(36)}`;
}

/** The type (classic, quorum, stream) of each queue whose name starts with `prefix`. */
export function queueTypes(prefix: string): Record<string, string> {
  const rows = JSON.parse(rabbitmqctl(['list_queues', 'name', 'type', '--formatter', 'json', '-q'])) as { name: string; type: string }[];
  return Object.fromEntries(rows.filter((row) => row.name.startsWith(prefix)).map((row) => [row.name, row.type]));
}

/** Consumers (on all its channels) of the connection a client opened with `connectionName`, as the server counts them. */
export function connectionConsumers(connectionName: string): number {
  const parse = (args: string[]): unknown[] => JSON.parse(rabbitmqctl([...args, '--formatter', 'json', '-q']) || '[]') as unknown[];
  const connections = parse(['list_connections', 'pid', 'client_properties']) as { pid: string; client_properties: [string, string, unknown][] }[];
  const pids = new Set(connections.filter((row) => row.client_properties.some(([key, , value]) => key === 'connection_name' && value === connectionName)).map((row) => row.pid));
  const channels = parse(['list_channels', 'connection', 'consumer_count']) as { connection: string; consumer_count: number }[];
  return channels.filter((row) => pids.has(row.connection)).reduce((sum, row) => sum + row.consumer_count, 0);
}

/** Deletes whatever a failed run left behind under `prefix` (queues, streams and exchanges). */
export function deleteWithPrefix(prefix: string): Promise<void> {
  return deleteRabbitmqObjects(RABBITMQ_URL, prefix);
}

/**
 * Closes, from the server side, every AMQP connection whose client-provided name is `name`
 * (what a broker restart or an operator's `close_connection` does to Junction). Returns how many.
 */
export function closeConnectionsNamed(name: string, reason = 'closed by a Junction fault test'): number {
  // The plain format prints `<pid>\t<client properties as an Erlang term>` per line.
  const lines = rabbitmqctl(['list_connections', 'pid', 'client_properties', '-q', '--no-table-headers']).split('\n');
  const ours = lines.filter((line) => line.includes(`{"connection_name","${name}"}`)).map((line) => line.split('\t')[0] as string);
  for (const pid of ours) rabbitmqctl(['close_connection', pid, reason, '-q']);
  return ours.length;
}
