import type { Channel, ChannelFactory } from '../channel.js';
import { OpeningCache } from '../opening-cache.js';
import { deleteTopology, exists } from './channel-topology.js';
import { RabbitConnection } from './connection.js';
import { shuttingDown } from './failures.js';
import { channelNames } from './naming.js';
import { parseSettings, resolveOptions, type RabbitMqChannelOptions, type RabbitMqChannelSettings, type ResolvedOptions } from './options.js';
import { PositionStore } from './position-store.js';
import { Publisher } from './publisher.js';
import { RabbitMqChannel } from './rabbitmq-channel.js';

/**
 * The `rabbitmq` engine (amqplib, AMQP 0-9-1, RabbitMQ 3.9+ streams). Durable: events, group
 * positions and groups live on the server. One connection per factory, opened on the first `open`
 * and re-opened by itself whenever the server goes away. See docs/channels-rabbitmq.md.
 */
export class RabbitMqChannelFactory implements ChannelFactory {
  readonly kind = 'rabbitmq';
  readonly durable = true;
  private readonly options: ResolvedOptions;
  private readonly connection: RabbitConnection;
  private readonly channels = new OpeningCache<RabbitMqChannel>();
  private closed = false;

  constructor(options: RabbitMqChannelOptions = {}) {
    this.options = resolveOptions(options);
    this.connection = new RabbitConnection(this.options);
  }

  /** Opens (or returns the already open) channel `name`; settings: see RabbitMqChannelSettings. */
  open(name: string, settings: Record<string, unknown> = {}): Promise<Channel> {
    if (this.closed) return Promise.reject(shuttingDown('the rabbitmq channel factory'));
    const existing = this.channels.get(name);
    if (existing) return existing;
    let parsed: RabbitMqChannelSettings;
    try {
      parsed = parseSettings(this.options.defaults, settings);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.channels.open(name, (forget) => RabbitMqChannel.open(name, parsed, this.connection, this.options, forget));
  }

  /** Deletes the channel's exchange, streams and group queues for good. */
  async drop(name: string): Promise<void> {
    if (this.closed) throw shuttingDown('the rabbitmq channel factory');
    await (await this.channels.get(name)?.catch(() => undefined))?.close();
    await this.connection.ready();
    const names = channelNames(this.options.prefix, name);
    await deleteTopology(this.connection, names, await this.groupsOf(names.positions));
  }

  /** Closes every channel (pending appends finish first) and the connection. */
  /** Undefined while the server is reachable, else why not. */
  health(): string | undefined {
    return this.connection.health();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const channels = await Promise.allSettled([...this.channels.values()]);
    await Promise.allSettled(channels.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
    await this.connection.close();
  }

  /** Every group with a record in a positions stream (read to its end), none when it is gone. */
  private async groupsOf(positionsStream: string): Promise<string[]> {
    if (!(await exists(this.connection, 'queue', positionsStream))) return [];
    const publisher = new Publisher(this.connection);
    const positions = new PositionStore(this.connection, publisher, positionsStream, this.options.operationTimeoutMs, () => undefined);
    try {
      await publisher.start();
      await positions.start();
      return positions.groups();
    } finally {
      await positions.stop();
      await publisher.stop();
    }
  }
}
