import type { Logger } from 'pino';
import { backoffDelay, type BackoffPolicy } from '../backoff/index.js';
import { setCondition } from './conditions.js';
import { EventRecorder } from './recorder.js';
import type { ResourceService } from './service.js';
import type { Resource, ResourceStatus } from './types.js';

/** Drives the data plane to one kind's spec. Level-triggered: called with the current object after any change. */
export interface Reconciler {
  group: string;
  kind: string;
  /** Makes the world match `resource`; returns the status to store (observedGeneration is filled in). */
  reconcile(resource: Resource, context: ReconcileContext): Promise<ResourceStatus>;
  /** Undoes what reconcile built, after the resource was deleted. */
  finalize(resource: Resource, context: ReconcileContext): Promise<void>;
}

/** What a reconciler may ask of the manager. */
export interface ReconcileContext {
  /** Queues another resource for reconciliation (e.g. a broker's triggers when the broker changes). */
  enqueue(group: string, kind: string, namespace: string, name: string): void;
  /**
   * Reconciles this resource again later even if nothing changes (an engine that was unreachable);
   * repeated calls back off from `ms` up to a minute (unless `backoff` is false: a periodic check),
   * and a reconcile that does not call it resets that.
   */
  requeueAfter(ms: number, options?: { backoff?: boolean }): void;
}

/** Retries of a failed reconcile: 200 ms after the first failure, doubling up to 30 s. */
const FAILURE_BACKOFF: BackoffPolicy = { kind: 'exponential', baseMs: 100, maxMs: 30_000 };

/** Repeated requeues of one object: from the asked delay, doubling at most ten times and up to a minute. */
function requeueBackoff(requeueMs: number): BackoffPolicy {
  return { kind: 'exponential', baseMs: requeueMs, maxMs: Math.min(60_000, requeueMs * 2 ** 10) };
}

/** Runs reconcilers: one at a time per object, coalescing bursts, retrying failures with backoff. */
export class ControllerManager {
  private readonly reconcilers = new Map<string, Reconciler>();
  private readonly queued = new Map<string, { group: string; kind: string; namespace: string; name: string; deleted?: Resource }>();
  private readonly running = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly requeues = new Map<string, number>();
  private readonly requeueTimers = new Map<string, NodeJS.Timeout>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private unwatch?: () => void;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly service: ResourceService,
    private readonly logger: Logger,
    private readonly recorder?: EventRecorder,
  ) {}

  register(reconciler: Reconciler): void {
    this.reconcilers.set(`${reconciler.group}/${reconciler.kind}`, reconciler);
  }

  /** Reconciles everything stored, then follows changes. */
  start(): void {
    this.unwatch = this.service.store.watch((event) => {
      const { object } = event;
      const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.lastIndexOf('/')) : '';
      this.schedule(group, object.kind, object.metadata.namespace ?? 'default', object.metadata.name, event.type === 'DELETED' ? object : undefined);
      // Owners follow their children (a flow's status reflects its channels and subscriptions).
      const owners = object.metadata.ownerReferences;
      if (Array.isArray(owners)) {
        for (const owner of owners as Array<{ apiVersion?: string; kind?: string; name?: string }>) {
          if (typeof owner.apiVersion !== 'string' || typeof owner.kind !== 'string' || typeof owner.name !== 'string') continue;
          const ownerGroup = owner.apiVersion.includes('/') ? owner.apiVersion.slice(0, owner.apiVersion.lastIndexOf('/')) : '';
          this.schedule(ownerGroup, owner.kind, object.metadata.namespace ?? 'default', owner.name);
        }
      }
    });
    for (const reconciler of this.reconcilers.values()) {
      for (const resource of this.service.store.list(reconciler.group, reconciler.kind)) {
        this.schedule(reconciler.group, reconciler.kind, resource.metadata.namespace ?? 'default', resource.metadata.name);
      }
    }
  }

  /** Resolves when no reconcile is queued or running (tests and shutdown use it). */
  async idle(): Promise<void> {
    // Store notifications are delivered on a microtask: let the ones already emitted arrive first.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.queued.size === 0 && this.running.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.unwatch?.();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(group: string, kind: string, namespace: string, name: string, deleted?: Resource): void {
    if (this.stopped || !this.reconcilers.has(`${group}/${kind}`)) return;
    const id = `${group}/${kind}/${namespace}/${name}`;
    const previous = this.queued.get(id);
    this.queued.set(id, { group, kind, namespace, name, deleted: deleted ?? previous?.deleted });
    if (!this.running.has(id)) queueMicrotask(() => void this.run(id));
  }

  private async run(id: string): Promise<void> {
    const item = this.queued.get(id);
    if (!item || this.running.has(id) || this.stopped) return;
    this.queued.delete(id);
    this.running.add(id);
    const reconciler = this.reconcilers.get(`${item.group}/${item.kind}`)!;
    let requeueMs: number | undefined;
    let backoff = true;
    const context: ReconcileContext = {
      enqueue: (g, k, ns, n) => this.schedule(g, k, ns, n),
      requeueAfter: (ms, options) => {
        requeueMs = ms;
        backoff = options?.backoff ?? true;
      },
    };
    const current = this.service.store.get(item);
    try {
      if (item.deleted && !current) await reconciler.finalize(item.deleted, context);
      else if (item.deleted && current && current.metadata.uid !== item.deleted.metadata.uid) {
        await reconciler.finalize(item.deleted, context);
        await this.reconcileOne(reconciler, current, context);
      } else if (current) await this.reconcileOne(reconciler, current, context);
      this.failures.delete(id);
      if (requeueMs !== undefined && current) {
        const attempts = backoff ? (this.requeues.get(id) ?? 0) + 1 : 1;
        this.requeues.set(id, attempts);
        clearTimeout(this.requeueTimers.get(id));
        this.requeueTimers.set(id, this.later(item, backoffDelay(requeueBackoff(requeueMs), attempts - 1)));
      } else {
        this.requeues.delete(id);
        clearTimeout(this.requeueTimers.get(id));
        this.requeueTimers.delete(id);
      }
    } catch (error) {
      const attempts = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, attempts);
      const delay = backoffDelay(FAILURE_BACKOFF, attempts);
      this.logger.warn({ resource: id, err: (error as Error).message, retryInMs: delay }, 'reconcile failed');
      if (current) {
        const status = { ...(current.status ?? {}), observedGeneration: current.metadata.generation };
        status.conditions = setCondition(status.conditions, { type: 'Ready', status: 'False', reason: 'ReconcileError', message: (error as Error).message });
        this.service.updateStatus(current, status);
      }
      this.later(item, delay);
    } finally {
      this.running.delete(id);
      if (this.queued.has(id)) queueMicrotask(() => void this.run(id));
      if (this.queued.size === 0 && this.running.size === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  private later(item: { group: string; kind: string; namespace: string; name: string; deleted?: Resource }, delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.schedule(item.group, item.kind, item.namespace, item.name, item.deleted);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  private async reconcileOne(reconciler: Reconciler, resource: Resource, context: ReconcileContext): Promise<void> {
    const status = await reconciler.reconcile(resource, context);
    this.service.updateStatus(resource, { ...status, observedGeneration: resource.metadata.generation });
    const before = resource.status?.conditions?.find((c) => c.type === 'Ready');
    const after = status.conditions?.find((c) => c.type === 'Ready');
    if (this.recorder && after && (before?.status !== after.status || before?.reason !== after.reason)) {
      const key = EventRecorder.key(resource.metadata.namespace ?? 'default', resource.kind, resource.metadata.name);
      const message = after.message ?? (after.status === 'True' ? `${resource.kind} is ready` : `${resource.kind} is not ready`);
      this.recorder.record(key, after.status === 'True' ? 'Normal' : 'Warning', after.reason ?? (after.status === 'True' ? 'Ready' : 'NotReady'), message);
    }
  }
}
