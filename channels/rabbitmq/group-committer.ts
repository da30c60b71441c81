import type { Logger } from 'pino';
import type { PositionStore } from './position-store.js';

/**
 * Writes one active group's position to the positions stream: soon after acks move it (batched over
 * `intervalMs`), at once on `flush`, one write in flight at a time, never the same position twice.
 */
export class GroupCommitter {
  private saved: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private enabled = false;
  private epoch = 0;

  constructor(
    private readonly group: string,
    private readonly positions: PositionStore,
    private readonly current: () => number,
    private readonly intervalMs: number,
    private readonly logger: Logger | undefined,
  ) {}

  /** Starts committing (the group became active here), `position` being what is stored now. */
  enable(position: number): void {
    this.enabled = true;
    this.epoch += 1;
    this.saved = position;
  }

  /** Stops committing (the group is no longer read here); a write in flight finishes. */
  disable(): void {
    this.enabled = false;
    this.epoch += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Records that `position` is stored already (a seek wrote it). */
  markStored(position: number): void {
    this.saved = position;
  }

  /** The position moved: commit it within the interval. */
  soon(): void {
    if (!this.enabled || this.timer || this.current() === this.saved) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.now();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Commits the current position now; resolves when it (and any write in flight) is stored. */
  async now(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running;
    if (!this.enabled) return;
    this.running = this.write().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private async write(): Promise<void> {
    const epoch = this.epoch;
    while (this.enabled && epoch === this.epoch) {
      const position = this.current();
      if (position === this.saved) return;
      try {
        await this.positions.write('commit', this.group, position);
      } catch (error) {
        // The connection went away: the next activation re-reads what was stored (at-least-once).
        this.logger?.warn({ group: this.group, err: (error as Error).message }, 'could not commit a RabbitMQ group position');
        return;
      }
      if (epoch === this.epoch) this.saved = position;
    }
  }
}
