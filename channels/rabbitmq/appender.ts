import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { JunctionError } from '../../core/errors.js';
import type { ChannelRecord } from '../channel.js';
import type { RabbitConnection } from './connection.js';
import { encodeEvent } from './event-codec.js';
import { withTimeout } from './failures.js';
import type { LogTailer } from './log-tailer.js';
import type { Outgoing, Publisher } from './publisher.js';

/** Where and how a channel's events are published. */
export interface AppendTarget {
  connection: RabbitConnection;
  publisher: Publisher;
  tailer: LogTailer;
  channel: string;
  exchange: string;
  separator: ':' | '_';
  timeoutMs: number;
}

/**
 * Appends batches to a channel: publishes each event (in order, mandatory, persistent) to the
 * channel's exchange and resolves once every one is confirmed and its stream offset read back.
 */
export class Appender {
  private readonly writer = randomUUID();
  private sequence = 0;
  private lastStamp = 0;

  constructor(private readonly target: AppendTarget) {}

  /**
   * The records of `events`, all stamped with one `appendedAt` (this process's clock, never going
   * back). When some events are not confirmed, rejects with JUNCTION_STORAGE_UNAVAILABLE whose
   * `acknowledged` lists the batch indexes that were stored; the others may or may not have been.
   */
  async append(events: CloudEvent[]): Promise<ChannelRecord[]> {
    const { connection, publisher, tailer, timeoutMs } = this.target;
    this.lastStamp = Math.max(this.lastStamp, Date.now());
    const appendedAt = this.lastStamp;
    const outgoing = events.map((event) => this.message(event, appendedAt));
    const placements = outgoing.map((message) => tailer.expect(message.options.messageId));
    for (const placement of placements) placement.catch(() => undefined);
    const results = await withTimeout(publisher.publishEach(outgoing), timeoutMs, () => {
      for (const message of outgoing) tailer.forget(message.options.messageId);
      return this.refusal(connection.failure(`append to channel "${this.target.channel}" was not confirmed within ${timeoutMs} ms`), []);
    });
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      for (const message of outgoing) tailer.forget(message.options.messageId);
      const acknowledged = results.flatMap((result, index) => (result.status === 'fulfilled' ? [index] : []));
      throw this.refusal(connection.failure(`append to channel "${this.target.channel}" failed`, failed.reason), acknowledged);
    }
    const placed = await withTimeout(Promise.all(placements), timeoutMs, () =>
      this.refusal(connection.failure(`append to channel "${this.target.channel}" was stored but its offsets were not read back in time`), events.map((_, index) => index)),
    );
    return events.map((event, index) => {
      const record: ChannelRecord = { offset: placed[index].offset, appendedAt, event };
      if (typeof event.partitionkey === 'string') record.key = event.partitionkey;
      return record;
    });
  }

  private message(event: CloudEvent, appendedAt: number): Outgoing & { options: { messageId: string } } {
    this.sequence += 1;
    const messageId = `${this.writer}.${this.sequence}`;
    const { content, options } = encodeEvent(event, this.target.separator, appendedAt, messageId);
    return { exchange: this.target.exchange, routingKey: '', content, options: { ...options, messageId } };
  }

  private refusal(error: JunctionError, acknowledged: number[]): JunctionError {
    Object.assign(error.extra, { acknowledged });
    return error;
  }
}
