import type Database from 'better-sqlite3';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { createError } from '../../core/errors.js';
import type { ChannelRecord } from '../channel.js';
import { recordKey } from '../log/record-key.js';
import type { ChannelStatements } from './database.js';

/** The side of a sqlite channel the commit queue writes for. */
export interface CommitTarget {
  readonly channelId: number;
  /** The next offset, before this commit. */
  head(): number;
  /** The append time to stamp on a batch (never earlier than the previous batch's). */
  appendTime(now: number): number;
  /** Called after the commit with this channel's new records, in order. */
  committed(records: ChannelRecord[]): void;
}

interface PendingAppend {
  target: CommitTarget;
  events: CloudEvent[];
  resolve(records: ChannelRecord[]): void;
  reject(error: Error): void;
}

/** An append ready to write: its numbered records and their JSON text. */
interface PreparedAppend {
  entry: PendingAppend;
  records: ChannelRecord[];
  rows: string[];
}

interface CursorWrite {
  target: CommitTarget;
  name: string;
  /** undefined deletes the cursor. */
  offset: number | undefined;
}

/**
 * Group commit for one database: appends (and cursor saves) queued during one tick are written in
 * ONE transaction; each caller resolves only after that commit returns, and a failed commit rejects
 * every caller of the batch with nothing of it visible. better-sqlite3 commits synchronously, so no
 * append can arrive while a write is in progress: the next tick's appends form the next batch.
 */
export class CommitQueue {
  private appends: PendingAppend[] = [];
  private cursorWrites = new Map<string, CursorWrite>();
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly commit: (appends: PreparedAppend[], writes: CursorWrite[]) => void;

  constructor(db: Database.Database, statements: ChannelStatements) {
    this.commit = db.transaction((appends: PreparedAppend[], writes: CursorWrite[]) => {
      for (const { entry, records, rows } of appends) {
        records.forEach((record, index) => {
          statements.insertRecord.run(entry.target.channelId, record.offset, record.appendedAt, record.key ?? null, rows[index] as string);
        });
      }
      for (const write of writes) {
        if (write.offset === undefined) statements.deleteCursor.run(write.target.channelId, write.name);
        else statements.upsertCursor.run(write.target.channelId, write.name, write.offset);
      }
    });
  }

  /** Queues events; resolves with their records once committed. */
  append(target: CommitTarget, events: CloudEvent[]): Promise<ChannelRecord[]> {
    if (this.closed) return Promise.reject(createError('JUNCTION_SHUTTING_DOWN', 'the sqlite channel database is closed'));
    return new Promise((resolve, reject) => {
      this.appends.push({ target, events, resolve, reject });
      this.schedule();
    });
  }

  /** Queues a cursor save (or delete, with `offset` undefined) for the next commit. */
  saveCursor(target: CommitTarget, name: string, offset: number | undefined): void {
    if (this.closed) return;
    this.cursorWrites.set(`${target.channelId}\u0000${name}`, { target, name, offset });
    this.schedule();
  }

  /** Commits everything queued now (close, tests); normally the queue commits on the next tick. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const pending = this.appends;
    const writes = [...this.cursorWrites.values()];
    this.appends = [];
    this.cursorWrites.clear();
    if (pending.length === 0 && writes.length === 0) return;

    const batch = this.prepare(pending);
    try {
      this.commit(batch, writes);
    } catch (error) {
      const failure = createError('JUNCTION_STORAGE_UNAVAILABLE', `events could not be stored: ${(error as Error).message}`, { cause: error });
      for (const { entry } of batch) entry.reject(failure);
      // Cursor saves are retried with the next commit unless a newer save replaced them.
      for (const write of writes) {
        const key = `${write.target.channelId}\u0000${write.name}`;
        if (!this.cursorWrites.has(key)) this.cursorWrites.set(key, write);
      }
      return;
    }
    const byTarget = new Map<CommitTarget, ChannelRecord[]>();
    for (const { entry, records } of batch) {
      const list = byTarget.get(entry.target) ?? [];
      for (const record of records) list.push(record);
      byTarget.set(entry.target, list);
    }
    for (const [target, records] of byTarget) target.committed(records);
    for (const { entry, records } of batch) entry.resolve(records);
  }

  /** Commits what is queued and refuses further work (the database is about to close). */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /** Serializes each append and numbers its records; an append whose events are not JSON is rejected alone. */
  private prepare(pending: PendingAppend[]): PreparedAppend[] {
    const now = Date.now();
    const next = new Map<CommitTarget, { offset: number; appendedAt: number }>();
    const batch: PreparedAppend[] = [];
    for (const entry of pending) {
      let rows: string[];
      try {
        rows = entry.events.map((event) => JSON.stringify(event));
      } catch (error) {
        entry.reject(createError('JUNCTION_EVENT_INVALID', `event cannot be stored as JSON: ${(error as Error).message}`));
        continue;
      }
      const position = next.get(entry.target) ?? { offset: entry.target.head(), appendedAt: entry.target.appendTime(now) };
      const records = entry.events.map((event, index): ChannelRecord => {
        const record: ChannelRecord = { offset: position.offset + index, appendedAt: position.appendedAt, event };
        const key = recordKey(event);
        if (key !== undefined) record.key = key;
        return record;
      });
      next.set(entry.target, { offset: position.offset + records.length, appendedAt: position.appendedAt });
      batch.push({ entry, records, rows });
    }
    return batch;
  }

  private schedule(): void {
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      this.flush();
    });
  }
}
