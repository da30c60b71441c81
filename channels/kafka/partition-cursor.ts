import type { ChannelRecord } from '../channel.js';

/** A fetched record of the group, not yet acked. */
export interface Entry {
  record: ChannelRecord;
  cursor: PartitionCursor;
  kafkaOffset: number;
  /** Times handed out so far. */
  deliveries: number;
  /** Held in the key gate (ordered groups, keyed records). */
  gated: boolean;
  /** Pending redelivery after a nack delay. */
  timer?: NodeJS.Timeout;
}

/** Where the group stands in one partition. */
export class PartitionCursor {
  /** Fetched and not yet acked, by Kafka offset (insertion order is offset order). */
  readonly outstanding = new Map<number, Entry>();

  constructor(
    readonly partition: number,
    /** The next Kafka offset to read. */
    public next: number,
    /** The position last committed to Kafka (negative: none or unknown). */
    public committed: number,
  ) {}

  /** The group's position here: the lowest unacked offset (everything before it is acked). */
  position(): number {
    for (const offset of this.outstanding.keys()) return offset;
    return this.next;
  }
}
