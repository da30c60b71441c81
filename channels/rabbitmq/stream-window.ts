import type { ConsumeMessage } from 'amqplib';
import type { ChannelRecord, LogAccess } from '../channel.js';
import { Fifo } from '../log/fifo.js';
import type { RabbitConnection } from './connection.js';
import { decodeMessage } from './event-codec.js';
import { StreamFollower } from './stream-follower.js';

interface Buffered {
  offset: number;
  /** Undefined for Junction's internal records, which are skipped. */
  record: ChannelRecord | undefined;
  message: ConsumeMessage;
  follower: StreamFollower;
}

/**
 * The part of the log a consumer group reads (see channels/log/group.ts), backed by a stream
 * consumer started at the group's position: records arrive ahead of use, and the server's credit
 * (the prefetch) is only returned as the group takes them, so the read-ahead stays bounded.
 */
export class StreamWindow implements Pick<LogAccess, 'head' | 'tail' | 'read' | 'onAppend'> {
  private readonly buffer = new Fifo<Buffered>();
  private readonly listeners = new Set<(records: ChannelRecord[]) => void>();
  private end = 0;
  private generation = 0;
  private follower: StreamFollower | undefined;
  private fresh: ChannelRecord[] = [];

  constructor(
    private readonly connection: RabbitConnection,
    private readonly stream: string,
    private readonly prefetch: number,
    private readonly onLost: () => void,
  ) {}

  head(): number {
    return this.end;
  }

  tail(): number {
    return this.buffer.peek()?.offset ?? this.end;
  }

  /** Hands out (and releases the credit of) buffered records from `from` on. */
  read(from: number, limit: number): ChannelRecord[] {
    const records: ChannelRecord[] = [];
    let last: Buffered | undefined;
    while (records.length < limit) {
      const item = this.buffer.shift();
      if (!item) break;
      last = item;
      if (item.record && item.offset >= from) records.push(item.record);
    }
    last?.follower.ackLater(last.message);
    return records;
  }

  onAppend(listener: (records: ChannelRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops the read-ahead and starts reading at `offset`. */
  async reset(offset: number): Promise<void> {
    const generation = this.clear(offset);
    const follower = await StreamFollower.start(
      this.connection,
      this.stream,
      { offset },
      this.prefetch,
      ({ offset: at, message }, own) => {
        if (generation === this.generation) this.receive(at, message, own);
      },
      () => {
        if (generation === this.generation) this.onLost();
      },
    );
    if (generation === this.generation) this.follower = follower;
    else await follower.close();
  }

  /** Stops reading; the window is empty at `offset`. */
  stop(offset: number): void {
    this.clear(offset);
  }

  private clear(offset: number): number {
    this.generation += 1;
    void this.follower?.close();
    this.follower = undefined;
    this.buffer.clear();
    this.fresh = [];
    this.end = offset;
    return this.generation;
  }

  private receive(offset: number, message: ConsumeMessage, follower: StreamFollower): void {
    if (offset < this.end) {
      follower.ackLater(message);
      return;
    }
    this.end = offset + 1;
    const decoded = decodeMessage(message);
    if (decoded.kind === 'internal') {
      if (this.buffer.size === 0) follower.ackLater(message);
      else this.buffer.push({ offset, record: undefined, message, follower });
      return;
    }
    const partitionKey = decoded.event.partitionkey;
    const record: ChannelRecord = { offset, appendedAt: decoded.appendedAt, event: decoded.event };
    if (typeof partitionKey === 'string') record.key = partitionKey;
    this.buffer.push({ offset, record, message, follower });
    this.fresh.push(record);
    if (this.fresh.length > 1) return;
    queueMicrotask(() => {
      const records = this.fresh;
      this.fresh = [];
      for (const listener of [...this.listeners]) listener(records);
    });
  }
}
