import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { WRITER_SQL, type SqliteDurability } from './database.js';

/**
 * Record rows as the writer thread inserts them, column by column: numbers in typed arrays and every
 * event's JSON as UTF-8 in one buffer with the byte lengths beside it, all moved, not copied. Copying
 * one large string between threads was ~6% of the main thread at 10,000 events/s; thousands of small
 * values far more.
 */
export interface RecordColumns {
  channelIds: Float64Array;
  offsets: Float64Array;
  appendedAt: Float64Array;
  /** Ordering keys, or null when no record of the batch has one. */
  keys: Array<string | null> | null;
  /** The events' JSON, UTF-8, concatenated (its own ArrayBuffer, transferred). */
  events: Uint8Array;
  /** Byte length of each event's JSON in `events`. */
  lengths: Float64Array;
}

/** One cursor write: channel id, cursor name, offset (null deletes the cursor). */
export type CursorTuple = [number, string, number | null];

/**
 * The writer thread's code. It is evaluated (not loaded from a file) so that the same code runs from
 * the TypeScript sources under vitest and from dist/; the driver is resolved by the main thread.
 */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = ' + workerData.synchronous);
  db.pragma('busy_timeout = 5000');
} catch (error) {
  parentPort.postMessage({ id: 0, error: String(error && error.message || error) });
  throw error;
}
const insert = db.prepare(workerData.sql.insertRecord);
const upsert = db.prepare(workerData.sql.upsertCursor);
const remove = db.prepare(workerData.sql.deleteCursor);
const commit = db.transaction((rows, cursors) => {
  const events = Buffer.from(rows.events.buffer, rows.events.byteOffset, rows.events.byteLength);
  let position = 0;
  for (let i = 0; i < rows.lengths.length; i++) {
    const end = position + rows.lengths[i];
    insert.run(rows.channelIds[i], rows.offsets[i], rows.appendedAt[i], rows.keys === null ? null : rows.keys[i], events.toString('utf8', position, end));
    position = end;
  }
  for (const c of cursors) {
    if (c[2] === null) remove.run(c[0], c[1]);
    else upsert.run(c[0], c[1], c[2]);
  }
});
// A failed commit fails every later commit of the same generation: those were numbered after it,
// and writing them would leave a gap in the log. The main thread starts a new generation once it
// has seen the failure.
let failedGeneration = -1;
parentPort.on('message', (message) => {
  if (message.close) {
    db.close();
    parentPort.postMessage({ id: message.id });
    parentPort.close();
    return;
  }
  if (message.generation <= failedGeneration) {
    parentPort.postMessage({ id: message.id, error: 'an earlier commit of this batch sequence failed' });
    return;
  }
  try {
    commit.immediate(message.rows, message.cursors);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    failedGeneration = message.generation;
    parentPort.postMessage({ id: message.id, error: String(error && error.message || error), code: error && error.code });
  }
});
`;

interface Reply {
  id: number;
  error?: string;
  /** The driver's code of the error (e.g. SQLITE_FULL). */
  code?: string;
}

/**
 * A dedicated thread that owns the write connection of a channels database: a commit (and its
 * fsync) runs there, so the event loop keeps parsing requests and delivering while the disk works.
 * Commits are answered in the order they were sent. The thread does not keep the process alive.
 */
export class CommitWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(path: string, durability: SqliteDurability) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { path, driver, sql: WRITER_SQL, synchronous: durability === 'full' ? 'FULL' : 'NORMAL' } });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      if (reply.id === 0) return; // open failure: the worker exits next and every waiter is rejected then
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (reply.error === undefined) waiter?.resolve();
      else waiter?.reject(Object.assign(new Error(reply.error), reply.code === undefined ? {} : { code: reply.code }));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the sqlite writer thread exited (code ${code})`)));
  }

  /** True once the thread is gone (crashed or closed); a new one must be started to write again. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Writes the rows and cursor changes in one transaction; resolves once it is committed. Commits
   * run in the order they are sent; after a failure, later commits of the same `generation` fail too.
   */
  commit(rows: RecordColumns, cursors: CursorTuple[], generation: number): Promise<void> {
    return this.send({ rows, cursors, generation }, [rows.channelIds.buffer, rows.offsets.buffer, rows.appendedAt.buffer, rows.lengths.buffer, rows.events.buffer] as ArrayBuffer[]);
  }

  /** Closes the write connection and ends the thread. */
  async close(): Promise<void> {
    if (this.failure) return;
    await this.send({ close: true }).catch(() => undefined);
    await this.worker.terminate();
  }

  private send(message: object, transfer: ArrayBuffer[] = []): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // An idle writer never keeps the process alive; one with commits in flight does (until they land).
      if (this.waiting.size === 1) this.worker.ref();
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }
}
