import { backoffDelay } from '../../core/backoff/index.js';
import type { Watermarks } from './positions.js';

/** What the watchdog asks of its group. */
export interface WatchedGroup {
  /** Positions applied and fetching not paused on purpose: only then is silence suspicious. */
  fetching(): boolean;
  /** The partitions this process's member is assigned. */
  partitions(): number[];
  /** The next offset the group reads in `partition` (undefined: not tracked). */
  next(partition: number): number | undefined;
  watermarks(): Promise<Watermarks>;
  /** Records wait in `partitions` and nothing came for the stall window: the member should rejoin. */
  stalled(partitions: number[], windowMs: number): void;
}

/** Most doublings of the stall window while the same partitions keep stalling. */
const MAX_BACKOFF_DOUBLINGS = 5;
/**
 * Rejoins tried for a partition stuck at one offset. Past them the partition is left alone until it
 * moves: what waits there is nothing the consumer delivers (transaction markers, aborted records).
 */
const MAX_REJOINS_AT_ONE_OFFSET = 2;

/**
 * Notices a partition the Kafka member stopped fetching: records wait beyond the group's next offset
 * (the partition's high watermark is past it), yet nothing arrived from it for the stall window while
 * fetching was not paused. kafkajs can end up there after an outage (its fetchers and metadata stay as
 * they were at a moment the cluster was half back) and would only notice at its next metadata refresh,
 * minutes later; a rejoin starts everything afresh. Idle partitions cost one ListOffsets request per
 * window. When the same partitions stall again without any record in between, the window doubles.
 */
export class FetchWatchdog {
  private readonly lastIntake = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private strikes = 0;
  private suspects = new Set<number>();
  /** Per partition: the offset it stalled at, and how many rejoins that caused. */
  private readonly stalls = new Map<number, { next: number; rejoins: number }>();

  constructor(
    private readonly stallMs: number,
    private readonly group: WatchedGroup,
  ) {}

  /** Starts watching (a member started); every partition counts as just fed. */
  start(): void {
    this.fedAll();
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), Math.max(250, Math.floor(this.stallMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Records arrived from `partition`. */
  fed(partition: number): void {
    this.lastIntake.set(partition, Date.now());
    this.stalls.delete(partition);
    if (this.suspects.delete(partition) && this.suspects.size === 0) this.strikes = 0;
  }

  /** Every partition counts as just fed (a join, a pause that ended). */
  fedAll(): void {
    const now = Date.now();
    for (const partition of this.group.partitions()) this.lastIntake.set(partition, now);
  }

  private window(): number {
    return backoffDelay({ kind: 'exponential', baseMs: this.stallMs, maxMs: this.stallMs * 2 ** MAX_BACKOFF_DOUBLINGS }, this.strikes);
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    if (!this.group.fetching()) {
      this.fedAll();
      return;
    }
    const now = Date.now();
    const window = this.window();
    const quiet = this.group.partitions().filter((partition) => now - (this.lastIntake.get(partition) ?? now) >= window);
    if (quiet.length === 0) return;
    this.checking = true;
    try {
      const marks = await this.group.watermarks();
      if (!this.group.fetching()) return;
      const stuck = quiet.filter((partition) => {
        const next = this.group.next(partition);
        const high = marks.get(partition)?.high;
        if (next === undefined || high === undefined || high <= next) return false;
        const stall = this.stalls.get(partition);
        const rejoins = stall?.next === next ? stall.rejoins : 0;
        if (rejoins >= MAX_REJOINS_AT_ONE_OFFSET) return false;
        this.stalls.set(partition, { next, rejoins: rejoins + 1 });
        return true;
      });
      // Idle partitions are fine: look again one window from now.
      for (const partition of quiet) this.lastIntake.set(partition, Date.now());
      if (stuck.length === 0) return;
      this.strikes += 1;
      this.suspects = new Set(stuck);
      this.group.stalled(stuck, window);
    } catch {
      // The cluster does not answer: kafkajs is retrying, and this check comes again.
    } finally {
      this.checking = false;
    }
  }
}
