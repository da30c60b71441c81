import type { Admin } from 'kafkajs';
import { createError } from '../../core/errors.js';
import type { SeekTarget } from '../channel.js';
import type { AppendQueue } from './append-queue.js';
import type { KafkaProtocol } from './kafka-protocol.js';
import type { OffsetCodec } from './partitioning.js';

/** What resolving positions needs from the channel. */
export interface PositionSource {
  admin: Admin;
  protocol: KafkaProtocol;
  appends: AppendQueue;
  topic: string;
  offsets: OffsetCodec;
}

/** The first and next offsets of each partition. */
export type Watermarks = Map<number, { low: number; high: number }>;

export async function fetchWatermarks(source: PositionSource): Promise<Watermarks> {
  const offsets = await source.admin.fetchTopicOffsets(source.topic);
  return new Map(offsets.map((entry) => [entry.partition, { low: Number(entry.low), high: Number(entry.high) }]));
}

/**
 * "Latest" as of the call: each partition's end offset, lowered to the first offset this process
 * appended after the call began, so an append acknowledged after the call is never skipped.
 */
export async function latestPositions(source: PositionSource): Promise<Map<number, number>> {
  const watch = source.appends.watch();
  try {
    const marks = await fetchWatermarks(source);
    return new Map([...marks].map(([partition, { high }]) => [partition, Math.min(high, watch.first.get(partition) ?? high)]));
  } finally {
    watch.dispose();
  }
}

/** The Kafka offset each partition moves to for a seek target (clamped to the retained records). */
export async function resolveSeekTarget(source: PositionSource, target: SeekTarget): Promise<Map<number, number>> {
  if (target === 'latest') return latestPositions(source);
  const isObject = typeof target === 'object' && target !== null;
  const offset = isObject && 'offset' in target && Number.isInteger(target.offset) ? target.offset : undefined;
  const time = isObject && 'time' in target && Number.isFinite(target.time) ? target.time : undefined;
  if (target !== 'earliest' && offset === undefined && time === undefined) {
    throw createError('JUNCTION_REPLAY_INVALID', `invalid seek target ${JSON.stringify(target)}: use {offset}, {time}, "earliest" or "latest"`);
  }
  const marks = await fetchWatermarks(source);
  const clamp = (value: number, { low, high }: { low: number; high: number }): number => Math.min(Math.max(value, low), high);
  if (offset !== undefined) {
    return new Map([...marks].map(([partition, range]) => [partition, clamp(source.offsets.firstAtOrAfter(partition, offset), range)]));
  }
  if (time !== undefined) return offsetsForTime(source, time, marks);
  return new Map([...marks].map(([partition, { low }]) => [partition, low]));
}

/**
 * Per partition, the first offset whose record was appended at or after `time`. Kafka's time
 * index answers (ListOffsets by timestamp); the answer is checked against the records around it
 * and, when it does not hold (a broker without a time index), found by binary search on record
 * timestamps instead.
 */
async function offsetsForTime(source: PositionSource, time: number, marks: Watermarks): Promise<Map<number, number>> {
  const hints = new Map((await source.admin.fetchTopicOffsetsByTimestamp(source.topic, time)).map((entry) => [entry.partition, Number(entry.offset)]));
  const result = new Map<number, number>();
  for (const [partition, { low, high }] of marks) {
    // True when the first record at or after `offset` is at/after `time` (or there is none).
    const reached = async (offset: number): Promise<boolean> => {
      if (offset >= high) return true;
      const record = await source.protocol.recordAtOrAfter(source.topic, partition, offset);
      return record === undefined || record.timestamp >= time;
    };
    const hint = hints.get(partition);
    if (hint !== undefined && hint >= low && hint <= high && (await reached(hint)) && (hint === low || !(await reached(hint - 1)))) {
      result.set(partition, hint);
      continue;
    }
    let from = low;
    let to = high;
    while (from < to) {
      const middle = Math.floor((from + to) / 2);
      if (await reached(middle)) to = middle;
      else from = middle + 1;
    }
    result.set(partition, from);
  }
  return result;
}
