import type { ConfirmChannel, Message, Options } from 'amqplib';
import { createError } from '../../core/errors.js';
import type { RabbitConnection } from './connection.js';

/** One message to publish with a confirm: `mandatory` ones fail when no queue took them. */
export interface Outgoing {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish & { messageId: string };
}

/**
 * Publishes with publisher confirms on one confirm channel: each publish resolves once the server
 * has made the message durable, and rejects when it refused it, returned it unroutable, or the
 * channel or connection went away first (the message may then have been stored or not).
 */
export class Publisher {
  private channel: ConfirmChannel | undefined;
  private readonly returned = new Set<string>();
  private writable: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly connection: RabbitConnection) {}

  /** Opens the confirm channel (again, after a reconnection); a no-op while one is open. */
  async start(): Promise<void> {
    if (this.channel || this.stopped) return;
    const channel = await this.connection.confirmChannel();
    if (this.stopped || this.channel) {
      await channel.close().catch(() => undefined);
      return;
    }
    channel.on('return', (message: Message) => {
      const id = message.properties.messageId as unknown;
      if (typeof id === 'string') this.returned.add(id);
    });
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.writable = undefined;
      // A channel-level error (e.g. a missing exchange) closed it: open a fresh one.
      if (!this.stopped && this.connection.isUp()) this.start().catch(() => undefined);
    });
    this.channel = channel;
  }

  get ready(): boolean {
    return this.channel !== undefined;
  }

  /** Publishes `messages` in order; resolves when all are confirmed, rejects with the first failure. */
  async publish(messages: Outgoing[]): Promise<void> {
    const results = await this.publishEach(messages);
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Publishes `messages` in order (waiting when the socket is full); settles with each one's outcome. */
  async publishEach(messages: Outgoing[]): Promise<PromiseSettledResult<void>[]> {
    const confirms: Promise<void>[] = [];
    for (const message of messages) {
      if (this.writable) await this.writable;
      confirms.push(this.send(message));
    }
    return Promise.allSettled(confirms);
  }

  /** Closes the channel; unconfirmed publishes reject. */
  async stop(): Promise<void> {
    this.stopped = true;
    const channel = this.channel;
    this.channel = undefined;
    try {
      await channel?.close();
    } catch {
      // Closed already.
    }
  }

  private send(message: Outgoing): Promise<void> {
    const channel = this.channel;
    if (!channel) return Promise.reject(this.connection.failure('not connected'));
    return new Promise<void>((resolve, reject) => {
      const id = message.options.messageId;
      try {
        const ok = channel.publish(message.exchange, message.routingKey, message.content, message.options, (error: unknown) => {
          const wasReturned = this.returned.delete(id);
          if (error) reject(this.connection.failure('the message was not confirmed', error));
          else if (wasReturned) reject(createError('JUNCTION_CHANNEL_NOT_FOUND', `RabbitMQ at ${this.connection.address}: no stream is bound to exchange "${message.exchange}" (was the channel dropped?)`));
          else resolve();
        });
        if (!ok && !this.writable) {
          this.writable = new Promise<void>((done) => {
            const release = (): void => {
              channel.off('drain', release);
              channel.off('close', release);
              if (this.channel === channel || this.channel === undefined) this.writable = undefined;
              done();
            };
            channel.on('drain', release);
            channel.on('close', release);
          });
        }
      } catch (error) {
        reject(this.connection.failure('cannot publish', error));
      }
    });
  }
}
