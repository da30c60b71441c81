import type { Admin } from 'kafkajs';
import { fetchWatermarks, type PositionSource, type Watermarks } from './positions.js';

/** Kafka's "earliest" marker: kafkajs commits it when retention deleted a group's position. */
const EARLIEST = -2;

/** A group's committed offsets on `topic`, per partition (-1: none). */
export async function fetchCommitted(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((entry?.partitions ?? []).map((partition) => [partition.partition, Number(partition.offset)]));
}

/**
 * The position a committed offset stands for, within the retained records: the offset itself,
 * the first retained record for the "earliest" marker, or undefined when nothing was committed.
 */
export function committedPosition(offset: number | undefined, range: { low: number; high: number }): number | undefined {
  if (offset === undefined || (offset < 0 && offset !== EARLIEST)) return undefined;
  return offset === EARLIEST ? range.low : Math.min(Math.max(offset, range.low), range.high);
}

/**
 * Where each assigned partition resumes after a join that cannot keep this process's progress:
 * at its committed position, or, for a group that never committed, at the "latest" position
 * pinned when consuming began (`pinned`).
 */
export async function positionsAfterJoin(
  source: PositionSource,
  assigned: number[],
  committed: Map<number, number>,
  pinned: () => Promise<Map<number, number>>,
): Promise<Map<number, { next: number; committed: number }>> {
  const marks: Watermarks = await fetchWatermarks(source);
  const range = (partition: number): { low: number; high: number } => marks.get(partition) ?? { low: 0, high: 0 };
  const fresh = assigned.some((partition) => committedPosition(committed.get(partition), range(partition)) === undefined);
  const start = fresh ? await pinned() : new Map<number, number>();
  return new Map(
    assigned.map((partition) => {
      const { low, high } = range(partition);
      const next = committedPosition(committed.get(partition), range(partition)) ?? Math.min(Math.max(start.get(partition) ?? high, low), high);
      return [partition, { next, committed: committed.get(partition) ?? -1 }];
    }),
  );
}
