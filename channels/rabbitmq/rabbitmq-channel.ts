import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { Channel, ChannelMessage, ChannelRecord, ConsumeOptions, Consumer, SeekTarget } from '../channel.js';
import { ensureTopology } from './channel-topology.js';
import type { RabbitConnection } from './connection.js';
import { Appender } from './appender.js';
import { shuttingDown, withTimeout } from './failures.js';
import { GroupRuntime } from './group-runtime.js';
import { deleteGroupQueue } from './group-lease.js';
import { LogTailer } from './log-tailer.js';
import { channelNames, type ChannelNames } from './naming.js';
import type { RabbitMqChannelSettings, ResolvedOptions } from './options.js';
import { PositionStore } from './position-store.js';
import { Publisher } from './publisher.js';
import { resolveSeekTarget } from './seek-target.js';
import { SlottedGroup, slotNames, slottedBacklog } from './slotted-group.js';
import { ChannelRecovery } from './channel-recovery.js';

/**
 * A channel on RabbitMQ: a fanout exchange routing to a stream (the log), a positions stream and
 * one durable queue per consumer group. `ChannelRecord.offset` is the stream offset (the first
 * event follows the channel's internal first record, so offsets start at 1); `appendedAt` is the
 * appending process's clock when it published, carried in the `junction-appended-at` header.
 */
export class RabbitMqChannel implements Channel {
  private readonly names: ChannelNames;
  private readonly publisher: Publisher;
  private readonly tailer: LogTailer;
  private readonly positions: PositionStore;
  private readonly recovery: ChannelRecovery;
  private readonly runtimes = new Map<string, GroupRuntime | SlottedGroup>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly appender: Appender;
  private closing: Promise<void> | undefined;

  get location(): Readonly<Record<string, string>> {
    return { exchange: this.names.exchange, stream: this.names.log };
  }

  groupLocation(group: string): Readonly<Record<string, string>> {
    const queues = this.slotNames(group).map((slot) => this.names.group(slot));
    return queues.length === 1 ? { 'group-queue': queues[0]! } : { 'group-queues': queues.join(',') };
  }

  private constructor(
    readonly name: string,
    private readonly settings: RabbitMqChannelSettings,
    private readonly connection: RabbitConnection,
    private readonly options: ResolvedOptions,
    private readonly onClosed: () => void,
  ) {
    this.names = channelNames(options.prefix, name);
    const timeout = options.operationTimeoutMs;
    this.publisher = new Publisher(connection);
    this.tailer = new LogTailer(connection, this.names.log, timeout, () => this.recovery.lost());
    this.positions = new PositionStore(connection, this.publisher, this.names.positions, timeout, () => this.recovery.lost());
    this.appender = new Appender({
      connection,
      publisher: this.publisher,
      tailer: this.tailer,
      channel: name,
      exchange: this.names.exchange,
      separator: options.propertySeparator,
      timeoutMs: timeout,
    });
    this.recovery = new ChannelRecovery(connection, name, {
      restart: async () => {
        await this.publisher.start();
        await this.tailer.start();
        await this.positions.start();
      },
      resumed: () => {
        for (const runtime of this.runtimes.values()) runtime.resume();
      },
      lost: () => {
        for (const runtime of this.runtimes.values()) runtime.lost();
      },
    });
  }

  /** Creates the channel's objects if needed and starts following its streams. */
  static async open(name: string, settings: RabbitMqChannelSettings, connection: RabbitConnection, options: ResolvedOptions, onClosed: () => void): Promise<RabbitMqChannel> {
    await connection.ready();
    const channel = new RabbitMqChannel(name, settings, connection, options, onClosed);
    try {
      await withTimeout(ensureTopology(connection, channel.names, settings, options.operationTimeoutMs), options.operationTimeoutMs, () =>
        connection.failure(`no answer creating channel "${name}"`),
      );
      await channel.recovery.start();
    } catch (error) {
      await channel.close();
      throw connection.failure(`cannot open channel "${name}"`, error);
    }
    return channel;
  }

  append(events: CloudEvent[]): Promise<ChannelRecord[]> {
    if (this.closing) return Promise.reject(shuttingDown(`channel "${this.name}"`));
    if (events.length === 0) return Promise.resolve([]);
    if (!this.recovery.ready) return Promise.reject(this.connection.failure(`channel "${this.name}" is not connected`));
    const work = this.appender.append(events);
    this.pending.add(work);
    void work.catch(() => undefined).finally(() => this.pending.delete(work));
    return work;
  }

  consume(group: string, options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer {
    if (this.closing) throw shuttingDown(`channel "${this.name}"`);
    return this.runtime(group).addConsumer(options, handler);
  }

  seek(group: string, target: SeekTarget): Promise<void> {
    return this.run(async () => {
      const position = await resolveSeekTarget(target, {
        connection: this.connection,
        logStream: this.names.log,
        tailer: this.tailer,
        clockSkewMs: this.options.clockSkewMs,
        timeoutMs: this.options.operationTimeoutMs,
      });
      const runtime = this.runtimes.get(group);
      if (runtime) await runtime.seekTo(position);
      else for (const slot of this.slotNames(group)) await this.positions.write('seek', slot, position);
    });
  }

  backlog(group: string): Promise<number> {
    return this.run(async () => {
      const head = this.tailer.head();
      const runtime = this.runtimes.get(group);
      if (runtime) return runtime.backlog(head);
      // Read elsewhere (or not at all): from the stored positions; a slotted group's is their mean.
      const positions = this.slotNames(group).map((slot) => this.positions.get(slot));
      const known = positions.filter((position): position is number => position !== undefined);
      return slottedBacklog(known.map((position) => Math.max(0, head - position)));
    });
  }

  deleteGroup(group: string): Promise<void> {
    return this.run(async () => {
      const runtime = this.runtimes.get(group);
      this.runtimes.delete(group);
      await runtime?.stop(false);
      for (const slot of this.slotNames(group)) {
        await this.positions.delete(slot);
        await deleteGroupQueue(this.connection, this.names.group(slot));
      }
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.pending]);
      await Promise.allSettled([...this.runtimes.values()].map((runtime) => runtime.stop(this.connection.isUp())));
      this.recovery.stop();
      await this.positions.stop();
      await this.tailer.stop(shuttingDown(`channel "${this.name}"`));
      await this.publisher.stop();
      this.onClosed();
    })();
    return this.closing;
  }

  private runtime(group: string): GroupRuntime | SlottedGroup {
    let runtime = this.runtimes.get(group);
    if (!runtime) {
      const slots = this.settings.groupSlots ?? 1;
      runtime =
        slots <= 1
          ? this.groupRuntime(group, this.settings.parallelism)
          : new SlottedGroup(group, slots, {
              connection: this.connection,
              queue: (slot) => this.names.group(slot),
              parallelism: this.settings.parallelism,
              logger: this.options.logger,
              // The slotted group applies parallelism itself, to the bound it shares among its slots.
              runtime: (slot, accept) => this.groupRuntime(slot, undefined, accept),
            });
      this.runtimes.set(group, runtime);
    }
    return runtime;
  }

  private groupRuntime(name: string, parallelism: number | undefined, accept?: (event: CloudEvent) => boolean): GroupRuntime {
    return new GroupRuntime(name, {
      connection: this.connection,
      logStream: this.names.log,
      groupQueue: this.names.group(name),
      queueType: this.settings.queueType ?? 'classic',
      parallelism,
      positions: this.positions,
      tailer: this.tailer,
      commitIntervalMs: this.options.commitIntervalMs,
      logger: this.options.logger,
      ...(accept ? { accept } : {}),
    });
  }

  /** A group's names in the positions stream and for its lease queues (one per slot). */
  private slotNames(group: string): string[] {
    return slotNames(group, this.settings.groupSlots ?? 1);
  }

  private async run<T>(action: () => Promise<T>): Promise<T> {
    if (this.closing) throw shuttingDown(`channel "${this.name}"`);
    if (!this.recovery.ready) throw this.connection.failure(`channel "${this.name}" is not connected`);
    return action();
  }
}
