/** Most partitions a channel may have: channel offsets keep the partition in their low 10 bits. */
export const MAX_PARTITIONS = 1024;

/**
 * Chooses a record's partition: by key the way Kafka's Java client does (murmur2 of the key bytes,
 * so other clients agree on where a key lives), round-robin for records without a key.
 */
export class Partitioner {
  private turn = 0;

  constructor(readonly partitions: number) {}

  partitionOf(key: string | null): number {
    if (this.partitions === 1) return 0;
    if (key !== null) return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % this.partitions;
    this.turn = (this.turn + 1) % this.partitions;
    return this.turn;
  }
}

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils#murmur2) in 32-bit integer arithmetic. */
export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  for (let index = 0; index + 4 <= length; index += 4) {
    let k = data[index] | (data[index + 1] << 8) | (data[index + 2] << 16) | (data[index + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & ~3;
  switch (length % 4) {
    case 3:
      h ^= data[tail + 2] << 16;
    // falls through
    case 2:
      h ^= data[tail + 1] << 8;
    // falls through
    case 1:
      h ^= data[tail];
      h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

/**
 * Channel offsets: one number per record, increasing per partition. With one partition it is the
 * Kafka offset itself (dense, from 0). With several, `kafkaOffset * 1024 + partition`: unique and
 * increasing per partition (so per key), but not in append order across partitions.
 */
export class OffsetCodec {
  constructor(readonly partitions: number) {}

  encode(partition: number, kafkaOffset: number): number {
    return this.partitions === 1 ? kafkaOffset : kafkaOffset * MAX_PARTITIONS + partition;
  }

  /** The first Kafka offset of `partition` whose channel offset is at or after `offset`. */
  firstAtOrAfter(partition: number, offset: number): number {
    if (this.partitions === 1) return Math.max(0, offset);
    return Math.max(0, Math.ceil((offset - partition) / MAX_PARTITIONS));
  }
}
