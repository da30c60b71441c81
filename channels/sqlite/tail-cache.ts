import type { ChannelRecord } from '../channel.js';

/**
 * The most recent records of one sqlite channel, in memory, so consumers reading fresh events
 * (the common case) never query SQL.
 */
export class TailCache {
  private records: ChannelRecord[] = [];
  private first = 0;

  constructor(private readonly capacity: number) {}

  /** Adds freshly committed records (contiguous with what is cached). */
  push(records: ChannelRecord[]): void {
    const last = this.records[this.records.length - 1];
    const fresh = records[0];
    if (last && fresh && fresh.offset !== last.offset + 1) this.clear();
    for (const record of records) this.records.push(record);
    const excess = this.records.length - this.first - this.capacity;
    if (excess > 0) this.first += excess;
    if (this.first >= 1024 && this.first * 2 >= this.records.length) {
      this.records = this.records.slice(this.first);
      this.first = 0;
    }
  }

  /** The cached records in [from, end), or undefined when `from` is older than the cache. */
  slice(from: number, end: number): ChannelRecord[] | undefined {
    const oldest = this.records[this.first];
    if (!oldest || from < oldest.offset) return undefined;
    const start = this.first + (from - oldest.offset);
    return this.records.slice(start, start + (end - from));
  }

  /** Forgets records below `offset` (retention deleted them). */
  dropBelow(offset: number): void {
    const oldest = this.records[this.first];
    if (!oldest || offset <= oldest.offset) return;
    this.first = Math.min(this.records.length, this.first + (offset - oldest.offset));
  }

  clear(): void {
    this.records = [];
    this.first = 0;
  }
}
