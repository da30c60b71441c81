import { createError } from '../../core/errors.js';
import type { Channel, ChannelFactory } from '../channel.js';
import { OpeningCache } from '../opening-cache.js';
import { NatsConnectionHolder } from './connection.js';
import { channelNames } from './names.js';
import { isApiError, JS_STREAM_NOT_FOUND, natsError } from './nats-errors.js';
import { NatsChannel } from './nats-channel.js';
import { channelSettings, resolveNatsOptions, type NatsChannelOptions, type NatsChannelSettings, type ResolvedNatsOptions } from './nats-options.js';
import { ensureStream } from './stream-setup.js';

/**
 * The `nats` engine: one JetStream stream per channel (`JUNCTION_<name>`, file storage), events in
 * the CloudEvents NATS binding's binary mode, one durable pull consumer per group. Connects on the
 * first `open` and reconnects by itself when the server goes away and comes back.
 */
export class NatsChannelFactory implements ChannelFactory {
  readonly kind = 'nats';
  readonly durable = true;
  private readonly options: ResolvedNatsOptions;
  private readonly connection: NatsConnectionHolder;
  private readonly channels = new OpeningCache<NatsChannel>();
  private closed = false;

  constructor(
    options: NatsChannelOptions = {},
    /** Hears failures that have no caller to reject (a consumer that cannot reach the server); messages hold no credentials. */
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.options = resolveNatsOptions(options);
    this.connection = new NatsConnectionHolder(this.options, onError);
  }

  /** Opens (or returns the already open) channel `name`; settings: retentionMs, maxBytes, replicas, maxAckPending, ackWaitMs. */
  open(name: string, settings: Record<string, unknown> = {}): Promise<Channel> {
    if (this.closed) return Promise.reject(this.closedError());
    let resolved: NatsChannelSettings;
    try {
      resolved = channelSettings(this.options, settings);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.channels.open(name, (forget) => this.openChannel(name, resolved, forget));
  }

  /** Deletes the channel's stream, with its events and every group's durable consumer. */
  async drop(name: string): Promise<void> {
    if (this.closed) throw this.closedError();
    const open = this.channels.get(name);
    if (open) await open.then((channel) => channel.close(), () => undefined);
    const handles = await this.connection.get();
    const { stream } = channelNames(name, this.options.streamPrefix, this.options.subjectPrefix);
    try {
      await handles.jsm.streams.delete(stream);
    } catch (error) {
      if (!isApiError(error, JS_STREAM_NOT_FOUND)) throw natsError(this.connection.address, `drop ${stream}`, error);
    }
  }

  /** Undefined while the server is reachable, else why not. */
  health(): string | undefined {
    return this.closed ? undefined : this.connection.health();
  }

  /** Closes every channel (pending appends finish first), then the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const channels = await Promise.allSettled([...this.channels.values()]);
    await Promise.all(channels.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
    await this.connection.close();
  }

  private async openChannel(name: string, settings: NatsChannelSettings, onClosed: () => void): Promise<NatsChannel> {
    const handles = await this.connection.get();
    const names = channelNames(name, this.options.streamPrefix, this.options.subjectPrefix);
    try {
      await ensureStream(handles.jsm, name, names, settings);
    } catch (error) {
      throw natsError(this.connection.address, `open channel ${name} (stream ${names.stream})`, error);
    }
    if (this.closed) throw this.closedError();
    return new NatsChannel(
      name,
      {
        handles,
        connection: this.connection,
        target: {
          names,
          address: this.connection.address,
          publishTimeoutMs: this.options.publishTimeoutMs,
          restoreStream: () => ensureStream(handles.jsm, name, names, settings),
        },
        settings,
        requestTimeoutMs: this.options.requestTimeoutMs,
        report: this.onError,
      },
      onClosed,
    );
  }

  private closedError(): Error {
    return createError('JUNCTION_SHUTTING_DOWN', 'the nats channel factory is closed');
  }
}
