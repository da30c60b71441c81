import type { RabbitConnection } from './connection.js';
import { JUNCTION_HEADERS } from './event-codec.js';
import { replyCode } from './failures.js';
import { deleteGroupQueue } from './group-lease.js';
import type { ChannelNames } from './naming.js';
import type { RabbitMqChannelSettings } from './options.js';

/** The positions stream stays small: retention drops old segments, snapshots keep every group. */
const POSITIONS_STREAM_ARGUMENTS = { 'x-queue-type': 'stream', 'x-max-length-bytes': 2_000_000, 'x-stream-max-segment-size-bytes': 256_000 };
const LOCK_RETRY_MS = 50;

function logStreamArguments(settings: RabbitMqChannelSettings): Record<string, unknown> {
  const args: Record<string, unknown> = { 'x-queue-type': 'stream', 'x-max-age': settings.maxAge ?? '7D' };
  if (settings.maxLengthBytes !== undefined) args['x-max-length-bytes'] = settings.maxLengthBytes;
  if (settings.maxSegmentSizeBytes !== undefined) args['x-stream-max-segment-size-bytes'] = settings.maxSegmentSizeBytes;
  if (settings.initialClusterSize !== undefined) args['x-initial-cluster-size'] = settings.initialClusterSize;
  return args;
}

/**
 * Makes sure a channel's exchange, log stream and positions stream exist. The exchange is created
 * last, so it marks a complete channel; creators hold an exclusive lock queue, so each stream gets
 * its first (internal) record before any event: Junction's streams are never empty.
 */
export async function ensureTopology(connection: RabbitConnection, names: ChannelNames, settings: RabbitMqChannelSettings, timeoutMs: number): Promise<void> {
  if (await exists(connection, 'exchange', names.exchange)) return;
  await withLock(connection, names.lock, timeoutMs, async () => {
    if (await exists(connection, 'exchange', names.exchange)) return;
    await declareStream(connection, names.log, logStreamArguments(settings));
    await declareStream(connection, names.positions, POSITIONS_STREAM_ARGUMENTS);
    const channel = await connection.confirmChannel();
    try {
      const headers = { [JUNCTION_HEADERS.record]: 'genesis', [JUNCTION_HEADERS.appendedAt]: Date.now() };
      channel.sendToQueue(names.log, Buffer.alloc(0), { headers, persistent: true });
      channel.sendToQueue(names.positions, Buffer.from(JSON.stringify({ k: 'genesis' })), { persistent: true });
      await channel.waitForConfirms();
      await channel.assertExchange(names.exchange, 'fanout', { durable: true });
      await channel.bindQueue(names.log, names.exchange, '');
    } finally {
      await channel.close().catch(() => undefined);
    }
  });
}

/** Deletes a channel's objects: its group queues, exchange and both streams. */
export async function deleteTopology(connection: RabbitConnection, names: ChannelNames, groups: string[]): Promise<void> {
  for (const group of groups) await deleteGroupQueue(connection, names.group(group));
  const channel = await connection.channel();
  try {
    await channel.deleteExchange(names.exchange);
    await channel.deleteQueue(names.log);
    await channel.deleteQueue(names.positions);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** True when the exchange or queue exists (a failed passive declare closes its scratch channel). */
export async function exists(connection: RabbitConnection, kind: 'exchange' | 'queue', name: string): Promise<boolean> {
  const channel = await connection.channel();
  try {
    if (kind === 'exchange') await channel.checkExchange(name);
    else await channel.checkQueue(name);
    return true;
  } catch (error) {
    if (replyCode(error) === 404) return false;
    throw connection.failure(`cannot check ${kind} "${name}"`, error);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

async function declareStream(connection: RabbitConnection, name: string, args: Record<string, unknown>): Promise<void> {
  const channel = await connection.channel();
  try {
    await channel.assertQueue(name, { durable: true, arguments: args });
  } catch (error) {
    // 406: a crashed creator left it with other settings; it is a stream all the same.
    if (replyCode(error) !== 406) throw connection.failure(`cannot declare stream "${name}"`, error);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

async function withLock(connection: RabbitConnection, lock: string, timeoutMs: number, action: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const channel = await connection.channel();
    try {
      await channel.assertQueue(lock, { exclusive: true, autoDelete: true, durable: false });
    } catch (error) {
      await channel.close().catch(() => undefined);
      if (replyCode(error) !== 405 || Date.now() > deadline) throw connection.failure(`cannot lock "${lock}"`, error);
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS + Math.random() * LOCK_RETRY_MS));
      continue;
    }
    try {
      await action();
      return;
    } finally {
      await channel.deleteQueue(lock).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  }
}
