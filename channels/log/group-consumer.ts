import type { ChannelMessage, ChannelRecord, ConsumeOptions, Consumer } from '../channel.js';

/** A record a group has read and not yet seen acked. */
export interface Entry {
  record: ChannelRecord;
  /** Times handed out so far. */
  deliveries: number;
  /** Held in the key gate (ordered groups, keyed records). */
  gated: boolean;
  /** Pending redelivery after a nack delay. */
  timer?: NodeJS.Timeout;
}

/** One hand-out of an entry to a consumer; settled by the first ack/nack (later calls are no-ops). */
export interface Delivery {
  entry: Entry;
  consumer: GroupConsumer;
  /** The group's generation at hand-out; a seek starts a new one. */
  generation: number;
  settled: boolean;
}

/** One consumer of a group in this process: its options, handler and unsettled deliveries. */
export class GroupConsumer implements Consumer {
  readonly inFlight = new Set<Delivery>();
  closed = false;

  constructor(
    readonly options: ConsumeOptions,
    readonly handler: (message: ChannelMessage) => void,
    private readonly onClose: (consumer: GroupConsumer) => void,
  ) {}

  /** Stops handing messages to this consumer; its unacked ones are handed out again. */
  close(): Promise<void> {
    if (!this.closed) this.onClose(this);
    this.closed = true;
    return Promise.resolve();
  }
}
