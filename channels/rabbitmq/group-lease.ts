import type { ConfirmChannel } from 'amqplib';
import type { RabbitConnection } from './connection.js';
import { replyCode } from './failures.js';

/** Arguments of a group's durable queue: single active consumer, at most one waiting token. */
function leaseArguments(queueType: 'classic' | 'quorum'): Record<string, unknown> {
  return { 'x-queue-type': queueType, 'x-single-active-consumer': true, 'x-max-length': 1, 'x-overflow': 'drop-head' };
}

/**
 * Which process reads a consumer group: the group's durable queue has single-active-consumer on, and
 * every process consuming the group subscribes to it. RabbitMQ hands the queue's token message to
 * the one active subscriber, which holds it unacknowledged; when that process closes, crashes or
 * loses its connection, RabbitMQ gives the token to the next subscriber (automatic failover).
 */
export class GroupLease {
  private channel: ConfirmChannel | undefined;
  private granted = false;

  constructor(
    private readonly connection: RabbitConnection,
    private readonly queue: string,
    private readonly queueType: 'classic' | 'quorum',
    private readonly onGranted: () => void,
    private readonly onLost: () => void,
  ) {}

  /** Subscribes to the group's queue (creating it, and a token, if needed); `onGranted` follows when it is our turn. */
  async acquire(): Promise<void> {
    await this.declare();
    const channel = await this.connection.confirmChannel();
    this.channel = channel;
    channel.on('close', () => this.ended(channel));
    try {
      await channel.prefetch(1);
      // Every subscriber adds a token (the queue keeps at most one waiting), so one always exists.
      await new Promise<void>((resolve, reject) => {
        channel.sendToQueue(this.queue, Buffer.from('lease'), { persistent: true }, (error: unknown) => (error ? reject(error) : resolve()));
      });
      await channel.consume(
        this.queue,
        (message) => {
          if (message === null) {
            this.ended(channel);
            return;
          }
          if (this.channel !== channel || this.granted) return;
          this.granted = true;
          this.onGranted();
        },
        { noAck: false },
      );
    } catch (error) {
      if (this.channel === channel) this.channel = undefined;
      await channel.close().catch(() => undefined);
      throw this.connection.failure(`cannot subscribe to group queue "${this.queue}"`, error);
    }
  }

  /** Gives the group up: closing the channel returns the token to the queue for the next subscriber. */
  async release(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    this.granted = false;
    await channel?.close().catch(() => undefined);
  }

  private ended(channel: ConfirmChannel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.granted = false;
    this.onLost();
  }

  private async declare(): Promise<void> {
    const scratch = await this.connection.channel();
    try {
      await scratch.assertQueue(this.queue, { durable: true, arguments: leaseArguments(this.queueType) });
    } catch (error) {
      // 406: it exists with other arguments (e.g. created before queueType changed); use it as it is.
      if (replyCode(error) !== 406) throw this.connection.failure(`cannot declare group queue "${this.queue}"`, error);
    } finally {
      await scratch.close().catch(() => undefined);
    }
  }
}

/** Deletes a group's queue (its lease and token). */
export async function deleteGroupQueue(connection: RabbitConnection, queue: string): Promise<void> {
  const scratch = await connection.channel();
  try {
    await scratch.deleteQueue(queue);
  } finally {
    await scratch.close().catch(() => undefined);
  }
}

/**
 * How many subscribers (active or waiting) each group queue has; a queue that does not exist counts
 * 0. One scratch channel serves every check (RabbitMQ closes it on a missing queue: then a new one).
 */
export async function subscriberCounts(connection: RabbitConnection, queues: string[]): Promise<number[]> {
  const counts: number[] = [];
  let scratch: Awaited<ReturnType<RabbitConnection['channel']>> | undefined;
  try {
    for (const queue of queues) {
      scratch ??= await connection.channel();
      try {
        counts.push((await scratch.checkQueue(queue)).consumerCount);
      } catch (error) {
        if (replyCode(error) !== 404) throw error;
        counts.push(0);
        scratch = undefined;
      }
    }
  } finally {
    await scratch?.close().catch(() => undefined);
  }
  return counts;
}
