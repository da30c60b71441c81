import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { ChannelRecord } from '../channel.js';
import { AppendListeners } from '../log/append-listeners.js';
import type { LogStorage } from '../log/log-channel.js';
import type { CommitQueue, CommitTarget } from './commit-queue.js';
import type { ChannelStatements, RecordRow } from './database.js';
import { TailCache } from './tail-cache.js';

/** What a sqlite channel shares with the other channels of its database. */
export interface SqliteShared {
  readonly statements: ChannelStatements;
  readonly queue: CommitQueue;
  /** Runs `work` in one transaction. */
  transaction(work: () => void): void;
}

/** Per-channel settings of the sqlite engine. */
export interface SqliteLogOptions {
  retentionMs: number;
  cacheRecords: number;
}

/**
 * One channel's log in the shared channels database: records and cursors in SQL, the head, tail,
 * cursors and the most recent records in memory (reads of fresh events do not touch SQL).
 */
export class SqliteLog implements LogStorage, CommitTarget {
  private next: number;
  private oldest: number;
  private lastAppendedAt = 0;
  private readonly cursors = new Map<string, number>();
  private readonly cache: TailCache;
  private readonly listeners = new AppendListeners();

  constructor(
    readonly channelId: number,
    storedTail: number,
    private readonly shared: SqliteShared,
    private readonly options: SqliteLogOptions,
    private readonly onClose: () => void,
  ) {
    const bounds = shared.statements.bounds.get(channelId);
    this.next = bounds?.high == null ? storedTail : Math.max(bounds.high + 1, storedTail);
    this.oldest = bounds?.low == null ? this.next : bounds.low;
    for (const row of shared.statements.selectCursors.all(channelId)) this.cursors.set(row.name, row.offset);
    this.cache = new TailCache(options.cacheRecords);
  }

  append(events: CloudEvent[]): Promise<ChannelRecord[]> {
    return this.shared.queue.append(this, events);
  }

  head(): number {
    return this.next;
  }

  tail(): number {
    return this.oldest;
  }

  read(from: number, limit: number): ChannelRecord[] {
    const start = Math.max(from, this.oldest);
    const end = Math.min(this.next, start + Math.max(0, limit));
    if (end <= start) return [];
    const cached = this.cache.slice(start, end);
    if (cached) return cached;
    return this.shared.statements.selectRange.all(this.channelId, start, end - start).map(toRecord);
  }

  offsetAt(time: number): number {
    return this.shared.statements.offsetAt.get(this.channelId, time)?.offset ?? this.next;
  }

  onAppend(listener: (records: ChannelRecord[]) => void): () => void {
    return this.listeners.add(listener);
  }

  cursor(name: string): number | undefined {
    return this.cursors.get(name);
  }

  saveCursors(cursors: Map<string, number>): void {
    for (const [name, offset] of cursors) {
      this.cursors.set(name, offset);
      this.shared.queue.saveCursor(this, name, offset);
    }
  }

  deleteCursor(name: string): void {
    this.cursors.delete(name);
    this.shared.queue.saveCursor(this, name, undefined);
  }

  appendTime(now: number): number {
    return Math.max(now, this.lastAppendedAt);
  }

  committed(records: ChannelRecord[]): void {
    const last = records[records.length - 1];
    if (!last) return;
    this.next = last.offset + 1;
    this.lastAppendedAt = last.appendedAt;
    this.cache.push(records);
    this.listeners.emit(records);
  }

  /**
   * Deletes up to `batch` records older than the retention (one small transaction, so the event
   * loop is never blocked long); true when more are due.
   */
  trim(now: number, batch: number): boolean {
    const due = this.offsetAt(now - this.options.retentionMs);
    const end = Math.min(due, this.oldest + batch);
    if (end <= this.oldest) return false;
    this.shared.transaction(() => {
      this.shared.statements.deleteRange.run(this.channelId, this.oldest, end);
      this.shared.statements.setTail.run(end, this.channelId);
    });
    this.oldest = end;
    this.cache.dropBelow(end);
    return end < due;
  }

  /** Commits this channel's pending appends and cursors (with whatever else is queued). */
  async close(): Promise<void> {
    await this.shared.queue.flush();
    this.cache.clear();
    this.onClose();
  }
}

function toRecord(row: RecordRow): ChannelRecord {
  const record: ChannelRecord = { offset: row.offset, appendedAt: row.appended_at, event: JSON.parse(row.event) as CloudEvent };
  if (row.key !== null) record.key = row.key;
  return record;
}
