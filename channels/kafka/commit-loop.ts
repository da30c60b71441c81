/** Delay before a failed commit is tried again (a rejoin also triggers one). */
const RETRY_MS = 1000;

/**
 * Runs a group's commits one at a time: changes made while a commit is out are folded into the
 * next one, so a burst of acks costs a few requests; a failed commit is retried later.
 */
export class CommitLoop {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly commitOnce: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Commits soon (now, or right after the commit in progress). */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once the positions as of now were committed (or the attempt failed and was logged). */
  async flush(): Promise<void> {
    if (this.running) await this.running;
    this.schedule();
    await this.running;
  }

  /** No more commits (channel closed). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.commitOnce();
      } while (this.again && !this.stopped);
    } catch (error) {
      this.onError(error);
      if (this.stopped || this.timer) return;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, RETRY_MS);
      this.timer.unref();
    }
  }
}
