import type { ConsumeMessage } from 'amqplib';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { ChannelRecord, LogAccess } from '../channel.js';
import { Fifo } from '../log/fifo.js';
import type { RabbitConnection } from './connection.js';
import { decodeMessage } from './event-codec.js';
import type { LogTailer } from './log-tailer.js';
import { StreamFollower } from './stream-follower.js';

interface Buffered {
  offset: number;
  /** Undefined for Junction's internal records, which are skipped. */
  record: ChannelRecord | undefined;
  message: ConsumeMessage;
  /** The stream consumer to ack it on; undefined for records from the tailer's feed (acked there). */
  follower: StreamFollower | undefined;
}

/** A window fed by the tailer goes back to a stream consumer of its own past this many unread records per prefetch. */
const LIVE_SLACK = 4;

/**
 * The part of the log a consumer group reads (see channels/log/group.ts). Behind the head it is
 * backed by a stream consumer started at the group's position: records arrive ahead of use, and the
 * server's credit (the prefetch) is only returned as the group takes them, so the read-ahead stays
 * bounded. Once it has caught up with the channel's tailer it reads the tailer's feed instead (the
 * records the tailer sees anyway for append offsets) and closes its own consumer; if the group then
 * falls more than LIVE_SLACK × prefetch records behind, it reads with its own consumer again.
 */
export class StreamWindow implements Pick<LogAccess, 'head' | 'tail' | 'read' | 'onAppend'> {
  private readonly buffer = new Fifo<Buffered>();
  private readonly listeners = new Set<(records: ChannelRecord[]) => void>();
  private end = 0;
  private generation = 0;
  private follower: StreamFollower | undefined;
  private detachFeed: (() => void) | undefined;
  private fresh: ChannelRecord[] = [];

  constructor(
    private readonly connection: RabbitConnection,
    private readonly stream: string,
    private readonly prefetch: number,
    private readonly tailer: LogTailer,
    private readonly onLost: () => void,
    /** Which events the group reads (a group slot's share); the others are passed over like internal records. */
    private readonly accept?: (event: CloudEvent) => boolean,
  ) {}

  /** True while the window reads the tailer's feed (no stream consumer of its own). */
  get live(): boolean {
    return this.detachFeed !== undefined;
  }

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
    last?.follower?.ackLater(last.message);
    return records;
  }

  onAppend(listener: (records: ChannelRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops the read-ahead and starts reading at `offset`. */
  async reset(offset: number): Promise<void> {
    const generation = this.clear(offset);
    if (this.tailer.canFeedFrom(offset)) return this.goLive(generation);
    const follower = await StreamFollower.start(
      this.connection,
      this.stream,
      { offset },
      this.prefetch,
      ({ offset: at, message }, own) => {
        if (generation !== this.generation || this.live) return;
        this.receive(at, message, own);
        // Caught up with the tailer: what follows comes through its feed; this consumer can go.
        if (this.tailer.canFeedFrom(this.end)) {
          this.goLive(generation);
          void own.close();
        }
      },
      () => {
        if (generation === this.generation && !this.live) this.onLost();
      },
    );
    if (generation === this.generation && !this.live) this.follower = follower;
    else await follower.close();
  }

  /** Stops reading; the window is empty at `offset`. */
  stop(offset: number): void {
    this.clear(offset);
  }

  private goLive(generation: number): void {
    this.follower = undefined;
    this.detachFeed = this.tailer.feed((at, message) => {
      if (generation !== this.generation) return;
      this.receive(at, message, undefined);
      // The group fell behind: read at its own pace again, from the first record it has not taken.
      if (this.buffer.size > LIVE_SLACK * this.prefetch) this.reset(this.tail()).catch(() => this.onLost());
    });
  }

  private clear(offset: number): number {
    this.generation += 1;
    this.detachFeed?.();
    this.detachFeed = undefined;
    void this.follower?.close();
    this.follower = undefined;
    this.buffer.clear();
    this.fresh = [];
    this.end = offset;
    return this.generation;
  }

  private receive(offset: number, message: ConsumeMessage, follower: StreamFollower | undefined): void {
    if (offset < this.end) {
      follower?.ackLater(message);
      return;
    }
    this.end = offset + 1;
    const decoded = decodeMessage(message);
    if (decoded.kind === 'internal' || (this.accept && !this.accept(decoded.event))) {
      if (this.buffer.size === 0) follower?.ackLater(message);
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
