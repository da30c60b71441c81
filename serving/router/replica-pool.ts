import type { Replica } from '../backends/backend.js';

/**
 * The replicas of one revision as the router balances them: requests outstanding per replica, the
 * ones draining (no new requests), and the least-outstanding choice within containerConcurrency.
 */
export class ReplicaPool {
  /** Ready replicas that are not draining, as of the last `update`. */
  private eligible: Replica[] = [];
  private known: Replica[] = [];
  private readonly outstanding = new Map<string, number>();
  private readonly draining = new Map<string, Array<() => void>>();
  /** Where the next tie-break starts, so replicas with equal load take turns. */
  private turn = 0;

  /** @param concurrency containerConcurrency: requests one replica takes at once; 0 = unlimited. */
  constructor(private readonly concurrency: number) {}

  /** Takes the backend's current replica list; a draining replica that is gone and idle is forgotten. */
  update(replicas: Replica[]): void {
    this.known = replicas;
    const ids = new Set(replicas.map((replica) => replica.id));
    for (const [id, waiters] of this.draining) {
      if (!ids.has(id) && waiters.length === 0 && !this.outstanding.has(id)) this.draining.delete(id);
    }
    this.refresh();
  }

  /** Ready, not draining replicas: 0 means requests must wait for a cold start. */
  get available(): number {
    return this.eligible.length;
  }

  /**
   * The eligible replica with the fewest outstanding requests that has room (below containerConcurrency),
   * preferring one not in `avoid`; undefined when every one is full.
   */
  pick(avoid?: ReadonlySet<string>): Replica | undefined {
    const count = this.eligible.length;
    let best: Replica | undefined;
    let bestLoad = Infinity;
    let bestAvoided = true;
    for (let step = 0; step < count; step++) {
      const replica = this.eligible[(this.turn + step) % count]!;
      const load = this.outstanding.get(replica.id) ?? 0;
      if (this.concurrency > 0 && load >= this.concurrency) continue;
      const avoided = avoid?.has(replica.id) ?? false;
      if (best === undefined || (bestAvoided && !avoided) || (bestAvoided === avoided && load < bestLoad)) {
        best = replica;
        bestLoad = load;
        bestAvoided = avoided;
      }
    }
    if (best !== undefined) this.turn = (this.turn + 1) % Math.max(count, 1);
    return best;
  }

  /** Counts a request sent to `replica`. */
  acquire(replica: Replica): void {
    this.outstanding.set(replica.id, (this.outstanding.get(replica.id) ?? 0) + 1);
  }

  /** Counts a request to `replica` as finished; resolves a drain that waited for it. */
  release(replica: Replica): void {
    const load = (this.outstanding.get(replica.id) ?? 1) - 1;
    if (load > 0) {
      this.outstanding.set(replica.id, load);
      return;
    }
    this.outstanding.delete(replica.id);
    const waiters = this.draining.get(replica.id);
    if (waiters && waiters.length > 0) for (const resolve of waiters.splice(0)) resolve();
  }

  /** Requests outstanding at all replicas. */
  get inFlight(): number {
    let total = 0;
    for (const load of this.outstanding.values()) total += load;
    return total;
  }

  /** Stops choosing `replicaId`; resolves once its outstanding requests have finished. */
  drain(replicaId: string): Promise<void> {
    let waiters = this.draining.get(replicaId);
    if (!waiters) this.draining.set(replicaId, (waiters = []));
    this.refresh();
    if (!this.outstanding.has(replicaId)) return Promise.resolve();
    const list = waiters;
    return new Promise((resolve) => list.push(resolve));
  }

  private refresh(): void {
    this.eligible = this.known.filter((replica) => replica.ready && !this.draining.has(replica.id));
  }
}
