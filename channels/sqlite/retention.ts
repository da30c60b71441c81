import type { SqliteLog } from './sqlite-log.js';

/** Records deleted per transaction, so retention never blocks the event loop for long. */
const TRIM_BATCH = 1000;

/** Deletes expired records of the open sqlite channels on a timer that does not keep the process alive. */
export class SqliteRetention {
  private readonly timer: NodeJS.Timeout;
  private running = false;
  private stopped = false;

  constructor(
    private readonly logs: () => SqliteLog[],
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.run(), intervalMs);
    this.timer.unref();
  }

  /** One sweep: small batches, yielding to the event loop between them, until nothing is due. */
  run(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    const step = (): void => {
      if (this.stopped) {
        this.running = false;
        return;
      }
      const now = Date.now();
      let more = false;
      for (const log of this.logs()) {
        try {
          if (log.trim(now, TRIM_BATCH)) more = true;
        } catch (error) {
          process.emitWarning(error as Error, 'ChannelRetentionError');
        }
      }
      if (more) setImmediate(step).unref();
      else this.running = false;
    };
    step();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}
