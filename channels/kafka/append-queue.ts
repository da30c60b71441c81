import type { Message, Producer } from 'kafkajs';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { ChannelRecord } from '../channel.js';
import type { OffsetCodec, Partitioner } from './partitioning.js';
import { encodeRecord } from './record-codec.js';

/** One `append` call waiting for its produce to be acknowledged. */
interface PendingAppend {
  events: CloudEvent[];
  messages: Message[];
  bytes: number;
  resolve(records: ChannelRecord[]): void;
  reject(error: unknown): void;
}

/** Notes the first acknowledged Kafka offset per partition from the moment it is created. */
export class AppendWatch {
  readonly first = new Map<number, number>();

  constructor(private readonly onDispose: (watch: AppendWatch) => void) {}

  dispose(): void {
    this.onDispose(this);
  }
}

/** A produce request carries at most this much (whole appends; one larger append goes alone). */
const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * Produces a channel's appends with acks=all, one request at a time: appends that arrive while a
 * request is out are coalesced into the next one (group commit), in call order, so per-partition
 * order is call order. An append resolves with its records once Kafka acknowledged them.
 */
export class AppendQueue {
  private readonly queue: PendingAppend[] = [];
  private readonly watches = new Set<AppendWatch>();
  private sending: Promise<void> | undefined;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly partitioner: Partitioner,
    private readonly offsets: OffsetCodec,
    private readonly requestTimeoutMs: number,
    private readonly failure: (error: unknown) => Error,
  ) {}

  append(events: CloudEvent[]): Promise<ChannelRecord[]> {
    return new Promise((resolve, reject) => {
      const messages: Message[] = [];
      let bytes = 0;
      for (const event of events) {
        const { key, headers, value } = encodeRecord(event);
        messages.push({ key, headers, value, partition: this.partitioner.partitionOf(key) });
        bytes += (value?.length ?? 0) + JSON.stringify(headers).length;
      }
      this.queue.push({ events, messages, bytes, resolve, reject });
      this.sending ??= this.drain();
    });
  }

  /** Starts noting acknowledged offsets (for "latest" positions that must not miss later appends). */
  watch(): AppendWatch {
    const watch = new AppendWatch((disposed) => this.watches.delete(disposed));
    this.watches.add(watch);
    return watch;
  }

  /** Resolves once every append made so far is settled. */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: PendingAppend[] = [];
      let bytes = 0;
      while (this.queue.length > 0 && (batch.length === 0 || bytes + (this.queue[0] as PendingAppend).bytes <= MAX_REQUEST_BYTES)) {
        const next = this.queue.shift() as PendingAppend;
        batch.push(next);
        bytes += next.bytes;
      }
      await this.send(batch);
    }
    this.sending = undefined;
  }

  private async send(batch: PendingAppend[]): Promise<void> {
    const timestamp = Date.now();
    const messages = batch.flatMap((pending) => pending.messages);
    for (const message of messages) message.timestamp = String(timestamp);
    let base: Map<number, number>;
    try {
      const metadata = await this.producer.send({ topic: this.topic, acks: -1, timeout: this.requestTimeoutMs, messages });
      base = new Map(metadata.map((entry) => [entry.partition, Number(entry.baseOffset)]));
      const missing = messages.find((message) => !base.has(message.partition as number));
      if (missing) throw new Error(`the produce response has no offset for partition ${String(missing.partition)}`);
    } catch (error) {
      const failure = this.failure(error);
      for (const pending of batch) pending.reject(failure);
      return;
    }
    // Within one request a partition's records get consecutive offsets from its base offset, in order.
    const next = new Map(base);
    for (const pending of batch) {
      const records = pending.events.map((event, index): ChannelRecord => {
        const message = pending.messages[index] as Message;
        const partition = message.partition as number;
        const kafkaOffset = next.get(partition) as number;
        next.set(partition, kafkaOffset + 1);
        const record: ChannelRecord = { offset: this.offsets.encode(partition, kafkaOffset), appendedAt: timestamp, event };
        if (message.key !== null && message.key !== undefined) record.key = message.key as string;
        return record;
      });
      pending.resolve(records);
    }
    for (const watch of this.watches) {
      for (const [partition, offset] of base) if (!watch.first.has(partition)) watch.first.set(partition, offset);
    }
  }
}
