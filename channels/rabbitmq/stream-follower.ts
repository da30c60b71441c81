import type { Channel as AmqpChannel, ConsumeMessage } from 'amqplib';
import type { RabbitConnection } from './connection.js';

/** Where a stream consumer starts (RabbitMQ's `x-stream-offset`). */
export type StreamStart = 'first' | 'last' | 'next' | { offset: number } | { timestamp: number };

/** One message read from a stream, with its stream offset. */
export interface StreamMessage {
  offset: number;
  message: ConsumeMessage;
}

function offsetArgument(start: StreamStart): unknown {
  if (typeof start === 'string') return start;
  if ('offset' in start) return start.offset;
  // AMQP timestamps are whole seconds.
  return { '!': 'timestamp', value: Math.max(0, Math.floor(start.timestamp / 1000)) };
}

/**
 * A consumer of one stream on its own AMQP channel. Streams deliver whole chunks (possibly past the
 * prefetch), from the chunk holding the start offset: messages before an integer start are dropped
 * here. `onEnd` is called once if the channel or consumer goes away without `close`.
 */
export class StreamFollower {
  private closed = false;
  private pendingAck: ConsumeMessage | undefined;
  private ackScheduled = false;

  private constructor(
    private readonly channel: AmqpChannel,
    readonly stream: string,
  ) {}

  /** Starts consuming `stream` at `start` with at most `prefetch` unacknowledged messages. */
  static async start(
    connection: RabbitConnection,
    stream: string,
    start: StreamStart,
    prefetch: number,
    onMessage: (message: StreamMessage, follower: StreamFollower) => void,
    onEnd: () => void,
  ): Promise<StreamFollower> {
    const channel = await connection.channel();
    const follower = new StreamFollower(channel, stream);
    let ended = false;
    const end = (): void => {
      if (ended || follower.closed) return;
      ended = true;
      follower.closed = true;
      onEnd();
    };
    channel.on('close', end);
    const minimum = typeof start === 'object' && 'offset' in start ? start.offset : 0;
    try {
      await channel.prefetch(prefetch);
      await channel.consume(
        stream,
        (message) => {
          if (message === null) {
            // The server cancelled the consumer (the stream was deleted).
            end();
            void follower.closeChannel();
            return;
          }
          if (follower.closed) return;
          const offset = Number(message.properties.headers?.['x-stream-offset']);
          if (!Number.isInteger(offset) || offset < minimum) {
            follower.ackLater(message);
            return;
          }
          onMessage({ offset, message }, follower);
        },
        { noAck: false, arguments: { 'x-stream-offset': offsetArgument(start) } },
      );
    } catch (error) {
      follower.closed = true;
      await follower.closeChannel();
      throw error;
    }
    return follower;
  }

  /** Acknowledges `message` and every earlier one of this follower, batched per event-loop turn. */
  ackLater(message: ConsumeMessage): void {
    this.pendingAck = message;
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => {
      this.ackScheduled = false;
      const last = this.pendingAck;
      this.pendingAck = undefined;
      if (last && !this.closed) {
        try {
          this.channel.ack(last, true);
        } catch {
          // The channel closed meanwhile; onEnd reports it.
        }
      }
    });
  }

  /** Resolves after a round trip on this channel: every message the server sent before is delivered. */
  async roundTrip(): Promise<void> {
    await this.channel.checkQueue(this.stream);
  }

  /** Stops consuming and closes the channel (no `onEnd`). */
  async close(): Promise<void> {
    this.closed = true;
    await this.closeChannel();
  }

  private async closeChannel(): Promise<void> {
    try {
      await this.channel.close();
    } catch {
      // Already closed (with its connection, or by the server).
    }
  }
}
