import { eventJson, type CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';
import type { ChannelRecord } from '../channel.js';
import { recordKey } from '../log/record-key.js';
import type { CommitWorker, CursorTuple, RecordColumns } from './commit-worker.js';

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

/** Commits sent to the writer thread and not answered yet: one being written, one waiting behind it. */
const PIPELINE_DEPTH = 2;

/**
 * Group commit for one database: appends (and cursor saves) queued while earlier commits run are
 * written in ONE transaction by the writer thread; each caller resolves only after that commit, and
 * a failed commit rejects every caller of the batch with nothing of it visible. Up to two commits
 * are in flight, so the writer starts the next fsync as soon as one ends; offsets are reserved when
 * a batch is sent, and a failure discards the reservations of the batches behind it (they fail too).
 */
export class CommitQueue {
  private appends: PendingAppend[] = [];
  private cursorWrites = new Map<string, CursorWrite>();
  private scheduled: NodeJS.Immediate | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Next offset (and latest append time) per channel counting batches in flight (absent: the committed head). */
  private readonly reserved = new Map<CommitTarget, { offset: number; appendedAt: number }>();
  private generation = 0;
  private closed = false;
  private writer: CommitWorker | undefined;

  /** `outcome` hears of every commit: undefined when it landed, the error when it failed (for /readyz). */
  constructor(
    private readonly openWriter: () => CommitWorker,
    private readonly outcome: (error?: Error) => void = () => undefined,
  ) {}

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

  /** Resolves once everything queued before the call is committed (or has failed). */
  async flush(): Promise<void> {
    // Commits in flight, then what was queued behind them, then what arrived meanwhile: bounded,
    // so a broken disk (whose failed cursor saves stay queued) cannot keep a close waiting forever.
    for (let round = 0; round < 4 && (this.inFlight.size > 0 || this.appends.length > 0 || this.cursorWrites.size > 0); round++) {
      this.send();
      await Promise.all([...this.inFlight]);
    }
  }

  /** Commits what is queued, refuses further work and ends the writer thread. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    await this.writer?.close();
  }

  /** Sends everything queued as one commit, unless the pipeline is full (then it goes when one lands). */
  private send(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.inFlight.size >= PIPELINE_DEPTH) return;
    const pending = this.appends;
    const writes = [...this.cursorWrites.values()];
    this.appends = [];
    this.cursorWrites.clear();
    if (pending.length === 0 && writes.length === 0) return;

    const batch = this.prepare(pending);
    const rows = toColumns(batch);
    const cursors = writes.map((write): CursorTuple => [write.target.channelId, write.name, write.offset ?? null]);
    if (!this.writer || this.writer.failed) this.writer = this.openWriter();
    const generation = this.generation;
    const commit: Promise<void> = this.writer.commit(rows, cursors, generation).then(
      () => this.landed(commit, batch),
      (error: Error) => this.failed(commit, batch, writes, generation, error),
    );
    this.inFlight.add(commit);
  }

  private landed(commit: Promise<void>, batch: PreparedAppend[]): void {
    this.inFlight.delete(commit);
    this.outcome();
    const byTarget = new Map<CommitTarget, ChannelRecord[]>();
    for (const { entry, records } of batch) {
      const list = byTarget.get(entry.target) ?? [];
      for (const record of records) list.push(record);
      byTarget.set(entry.target, list);
    }
    for (const [target, records] of byTarget) target.committed(records);
    for (const { entry, records } of batch) entry.resolve(records);
    if (this.inFlight.size === 0) this.reserved.clear();
    if (this.appends.length > 0 || this.cursorWrites.size > 0) this.send();
  }

  private failed(commit: Promise<void>, batch: PreparedAppend[], writes: CursorWrite[], generation: number, error: Error): void {
    this.inFlight.delete(commit);
    this.outcome(error);
    if (generation === this.generation) {
      // Batches sent behind this one fail as well; new batches number from the committed heads again.
      this.generation++;
      this.reserved.clear();
    }
    const failure = createError('JUNCTION_STORAGE_UNAVAILABLE', `events could not be stored: ${error.message}`, { cause: error });
    for (const { entry } of batch) entry.reject(failure);
    // Cursor saves are retried with the next commit unless a newer save replaced them.
    for (const write of writes) {
      const key = `${write.target.channelId}\u0000${write.name}`;
      if (!this.cursorWrites.has(key)) this.cursorWrites.set(key, write);
    }
    if (this.appends.length > 0) this.send();
  }

  /** Serializes each append and numbers its records; an append whose events are not JSON is rejected alone. */
  private prepare(pending: PendingAppend[]): PreparedAppend[] {
    const now = Date.now();
    const next = new Map<CommitTarget, { offset: number; appendedAt: number }>();
    const batch: PreparedAppend[] = [];
    for (const entry of pending) {
      let rows: string[];
      try {
        rows = entry.events.map(eventJson);
      } catch (error) {
        entry.reject(createError('JUNCTION_EVENT_INVALID', `event cannot be stored as JSON: ${(error as Error).message}`));
        continue;
      }
      const reserved = this.reserved.get(entry.target);
      const position = next.get(entry.target) ?? {
        offset: reserved?.offset ?? entry.target.head(),
        appendedAt: Math.max(entry.target.appendTime(now), reserved?.appendedAt ?? 0),
      };
      const records = entry.events.map((event, index): ChannelRecord => {
        const record: ChannelRecord = { offset: position.offset + index, appendedAt: position.appendedAt, event };
        const key = recordKey(event);
        if (key !== undefined) record.key = key;
        return record;
      });
      next.set(entry.target, { offset: position.offset + records.length, appendedAt: position.appendedAt });
      this.reserved.set(entry.target, { offset: position.offset + records.length, appendedAt: position.appendedAt });
      batch.push({ entry, records, rows });
    }
    return batch;
  }

  private schedule(): void {
    if (this.inFlight.size >= PIPELINE_DEPTH) return; // the batch grows until a commit lands
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      this.send();
    });
  }
}

/** Packs a batch's records into columns for the writer thread, straight from the prepared appends. */
function toColumns(batch: PreparedAppend[]): RecordColumns {
  let count = 0;
  let bytes = 0;
  for (const { records, rows } of batch) {
    count += records.length;
    for (const json of rows) bytes += Buffer.byteLength(json, 'utf8');
  }
  const columns: RecordColumns = {
    channelIds: new Float64Array(count),
    offsets: new Float64Array(count),
    appendedAt: new Float64Array(count),
    keys: null,
    // Not from Buffer's shared pool: the whole ArrayBuffer is moved to the writer thread.
    events: Buffer.allocUnsafeSlow(bytes),
    lengths: new Float64Array(count),
  };
  const events = columns.events as Buffer;
  let index = 0;
  let position = 0;
  for (const { entry, records, rows } of batch) {
    records.forEach((record, row) => {
      const written = events.write(rows[row] as string, position, 'utf8');
      columns.channelIds[index] = entry.target.channelId;
      columns.offsets[index] = record.offset;
      columns.appendedAt[index] = record.appendedAt;
      columns.lengths[index] = written;
      if (record.key !== undefined) (columns.keys ??= new Array<string | null>(count).fill(null))[index] = record.key;
      position += written;
      index += 1;
    });
  }
  return columns;
}
