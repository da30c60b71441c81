import type { Channel, ChannelRecord, LogAccess } from '../../channels/index.js';
import { TriggerIndex } from '../filters/index.js';
import type { TriggerSpec } from '../resources/trigger-kind.js';
import type { TriggerTarget } from './trigger-target.js';
import { TriggerWorker, type WorkerContext } from './trigger-worker.js';

const CURSOR_SAVE_INTERVAL_MS = 200;

/** Cursor name under which a trigger's position is kept in its broker's log. */
export function triggerCursorName(uid: string): string {
  return `trigger:${uid}`;
}

/**
 * Reads one broker's log once and fans each event out to the triggers whose filters match, found
 * through an index (exact/prefix filters are hashed) so thousands of triggers stay cheap.
 */
export class BrokerDispatcher {
  private readonly index = new TriggerIndex<TriggerWorker>();
  private readonly workers = new Map<string, TriggerWorker>();
  private readonly filters = new Map<string, string>();
  private headRouted: number;
  private unsubscribe?: () => void;
  private saveTimer?: NodeJS.Timeout;
  private readonly savedCursors = new Map<string, number>();
  private readonly workerContext: WorkerContext;

  constructor(
    private readonly log: Channel & LogAccess,
    context: Omit<WorkerContext, 'routedHead' | 'log'>,
  ) {
    this.headRouted = log.head();
    this.workerContext = { ...context, log, routedHead: () => this.headRouted };
  }

  start(): void {
    this.headRouted = this.log.head();
    this.unsubscribe = this.log.onAppend((records) => this.route(records));
    this.saveTimer = setInterval(() => this.saveCursors(), CURSOR_SAVE_INTERVAL_MS);
    this.saveTimer.unref();
  }

  /** Adds or updates a trigger's worker; a new trigger starts at the head, a known one at its saved cursor. */
  upsert(target: TriggerTarget, filterSpec: Pick<TriggerSpec, 'filter' | 'filters'>, previousOrdered?: boolean): void {
    const filterKey = JSON.stringify(filterSpec);
    const existing = this.workers.get(target.uid);
    if (existing && previousOrdered !== undefined && previousOrdered !== target.ordered) {
      // Ordering mode changes need a fresh queue: finish the old worker, resume from its cursor.
      const cursor = existing.cursor();
      void existing.stop(0);
      this.index.remove(target.uid);
      this.workers.delete(target.uid);
      this.add(target, filterSpec, filterKey, cursor);
      return;
    }
    if (existing) {
      existing.update(target);
      if (this.filters.get(target.uid) !== filterKey) {
        this.index.remove(target.uid);
        this.index.add(target.uid, filterSpec, existing);
        this.filters.set(target.uid, filterKey);
      }
      return;
    }
    this.add(target, filterSpec, filterKey, this.log.cursor(triggerCursorName(target.uid)));
  }

  private add(target: TriggerTarget, filterSpec: Pick<TriggerSpec, 'filter' | 'filters'>, filterKey: string, cursor: number | undefined): void {
    const worker = new TriggerWorker(target, this.workerContext, cursor);
    this.workers.set(target.uid, worker);
    this.index.add(target.uid, filterSpec, worker);
    this.filters.set(target.uid, filterKey);
    if (cursor === undefined) {
      // A new trigger sees events from now on: record that position at once, so a crash cannot move it.
      this.log.saveCursors(new Map([[triggerCursorName(target.uid), this.headRouted]]));
      this.savedCursors.set(target.uid, this.headRouted);
    }
  }

  /** Stops a trigger's deliveries; `forget` also drops its saved position (trigger deleted). */
  async remove(uid: string, forget: boolean): Promise<void> {
    const worker = this.workers.get(uid);
    if (!worker) return;
    this.index.remove(uid);
    this.workers.delete(uid);
    this.filters.delete(uid);
    const { namespace, broker, name } = worker.trigger;
    this.workerContext.metrics.backlog.remove({ namespace, broker, trigger: name });
    await worker.stop(0);
    // Gone for good (deleted, or moved to another broker): so are its series.
    if (forget) await this.workerContext.metrics.forget({ namespace, broker, trigger: name });
    if (forget) {
      this.log.deleteCursor(triggerCursorName(uid));
      this.savedCursors.delete(uid);
    }
  }

  worker(uid: string): TriggerWorker | undefined {
    return this.workers.get(uid);
  }

  get routedHead(): number {
    return this.headRouted;
  }

  /** Stops routing; waits up to `graceMs` for in-flight deliveries, then saves every cursor. */
  async stop(graceMs: number): Promise<void> {
    this.unsubscribe?.();
    if (this.saveTimer) clearInterval(this.saveTimer);
    await Promise.all([...this.workers.values()].map((worker) => worker.stop(graceMs)));
    this.saveCursors();
  }

  private route(records: ChannelRecord[]): void {
    for (const record of records) {
      if (record.offset < this.headRouted) continue;
      for (const worker of this.index.match(record.event)) worker.offer(record);
      this.headRouted = record.offset + 1;
    }
  }

  /** Persists positions that moved since the last save (one batched write). */
  saveCursors(): void {
    const changed = new Map<string, number>();
    for (const [uid, worker] of this.workers) {
      const { namespace, broker, name } = worker.trigger;
      this.workerContext.metrics.backlog.set({ namespace, broker, trigger: name }, worker.backlog());
      const cursor = worker.cursor();
      if (this.savedCursors.get(uid) !== cursor) {
        changed.set(triggerCursorName(uid), cursor);
        this.savedCursors.set(uid, cursor);
      }
    }
    if (changed.size > 0) this.log.saveCursors(changed);
  }
}
