import type { CloudEvent } from '../../core/cloudevent/index.js';
import type { ChannelRecord } from '../channel.js';
import { AppendListeners } from '../log/append-listeners.js';
import type { LogStorage } from '../log/log-channel.js';
import { recordKey } from '../log/record-key.js';

/** Retention of one in-memory log. */
export interface MemoryRetention {
  /** Records older than this are dropped. */
  retentionMs: number;
  /** At most this many records are kept (the oldest go first). */
  maxEvents: number;
}

/**
 * The records and cursors of one memory channel, in arrays and maps: NOT durable, everything is
 * lost when the process ends (Knative InMemoryChannel semantics). Records are shared with every
 * reader, so events must not be mutated after append.
 */
export class MemoryLog implements LogStorage {
  private records: ChannelRecord[] = [];
  /** Index in `records` of the oldest retained record (trimmed ones are compacted away lazily). */
  private first = 0;
  private base = 0;
  private lastAppendedAt = 0;
  private readonly cursors = new Map<string, number>();
  private readonly listeners = new AppendListeners();

  constructor(private retention: MemoryRetention) {}

  /** Replaces the retention (a reopen with other settings); applied from the next trim. */
  configure(retention: MemoryRetention): void {
    this.retention = retention;
  }

  append(events: CloudEvent[]): Promise<ChannelRecord[]> {
    // Monotonic per log, so offsetAt can binary-search even if the wall clock steps back.
    const appendedAt = Math.max(Date.now(), this.lastAppendedAt);
    this.lastAppendedAt = appendedAt;
    const start = this.head();
    const batch = events.map((event, index): ChannelRecord => {
      const key = recordKey(event);
      const record: ChannelRecord = { offset: start + index, appendedAt, event };
      if (key !== undefined) record.key = key;
      return record;
    });
    for (const record of batch) this.records.push(record);
    this.trim(appendedAt);
    this.listeners.emit(batch);
    return Promise.resolve(batch);
  }

  head(): number {
    return this.base + this.records.length - this.first;
  }

  tail(): number {
    return this.base;
  }

  read(from: number, limit: number): ChannelRecord[] {
    const start = Math.max(from, this.base) - this.base + this.first;
    return this.records.slice(start, start + Math.max(0, limit));
  }

  offsetAt(time: number): number {
    let low = this.first;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.records[middle] as ChannelRecord).appendedAt < time) low = middle + 1;
      else high = middle;
    }
    return this.base + low - this.first;
  }

  onAppend(listener: (records: ChannelRecord[]) => void): () => void {
    return this.listeners.add(listener);
  }

  cursor(name: string): number | undefined {
    return this.cursors.get(name);
  }

  saveCursors(cursors: Map<string, number>): void {
    for (const [name, offset] of cursors) this.cursors.set(name, offset);
  }

  deleteCursor(name: string): void {
    this.cursors.delete(name);
  }

  /** Drops records beyond `maxEvents` or older than `retentionMs` (at `now`). */
  trim(now: number): void {
    const excess = this.head() - this.base - this.retention.maxEvents;
    let drop = Math.max(0, excess);
    const cutoff = now - this.retention.retentionMs;
    while (this.first + drop < this.records.length && (this.records[this.first + drop] as ChannelRecord).appendedAt < cutoff) drop += 1;
    if (drop === 0) return;
    const from = this.first;
    this.first += drop;
    this.base += drop;
    if (this.first >= 1024 && this.first * 2 >= this.records.length) {
      this.records = this.records.slice(this.first);
      this.first = 0;
    } else {
      // Until the array is compacted, the dropped slots must not hold their events: otherwise up to
      // twice maxEvents records (and all their memory) stayed reachable.
      (this.records as Array<ChannelRecord | undefined>).fill(undefined, from, this.first);
    }
  }

  /** Memory logs outlive their channel handles (until dropped or the factory closes): nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
