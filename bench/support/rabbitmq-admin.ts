import { execFileSync } from 'node:child_process';
import amqp from 'amqplib';

/** Runs `rabbitmqctl` against the local RabbitMQ node and returns what it printed. */
export function rabbitmqctl(args: string[]): string {
  return execFileSync('rabbitmqctl', args, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Names of the server's queues (streams included) that start with `prefix`. */
export function queuesWithPrefix(prefix: string): string[] {
  const rows = JSON.parse(rabbitmqctl(['list_queues', 'name', '--formatter', 'json', '-q'])) as { name: string }[];
  return rows.map((row) => row.name).filter((name) => name.startsWith(prefix));
}

/** Names of the server's exchanges that start with `prefix`. */
export function exchangesWithPrefix(prefix: string): string[] {
  const rows = JSON.parse(rabbitmqctl(['list_exchanges', 'name', '--formatter', 'json', '-q'])) as { name: string }[];
  return rows.map((row) => row.name).filter((name) => name.startsWith(prefix));
}

/** Deletes the queues, streams and exchanges under `prefix` (what a run leaves, or a failed one left, behind). */
export async function deleteRabbitmqObjects(url: string, prefix: string): Promise<void> {
  for (const queue of queuesWithPrefix(prefix)) rabbitmqctl(['delete_queue', queue, '-q']);
  const exchanges = exchangesWithPrefix(prefix);
  if (exchanges.length === 0) return;
  // rabbitmqctl cannot delete exchanges: AMQP can.
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
  } finally {
    await connection.close();
  }
}
