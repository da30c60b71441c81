import type { RabbitConnection } from './connection.js';

/** What a channel does to come back: re-open its channels and consumers, then resume its groups. */
export interface RecoverySteps {
  restart(): Promise<void>;
  resumed(): void;
  lost(): void;
}

/** Wait before recovering after a stream consumer went away while the connection stayed up. */
const RECOVER_DELAY_MS = 250;

/**
 * A channel's readiness: ready once its streams are followed, not ready from the moment the
 * connection (or one of its stream consumers) is lost until it has recovered, by itself, after the
 * connection came back.
 */
export class ChannelRecovery {
  ready = false;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly connection: RabbitConnection,
    private readonly name: string,
    private readonly steps: RecoverySteps,
  ) {}

  /** First start: follows the connection's ups and downs from now on; rejects if it cannot start. */
  async start(): Promise<void> {
    this.unsubscribe = this.connection.subscribe({ up: () => this.recover(), down: () => this.down() });
    await this.steps.restart();
    this.ready = true;
  }

  /** One of the channel's stream consumers went away. */
  lost(): void {
    if (this.stopped || !this.ready) return;
    this.down();
    this.schedule();
  }

  /** Stops recovering (the channel is closing). */
  stop(): void {
    this.stopped = true;
    this.ready = false;
    clearTimeout(this.timer);
    this.unsubscribe?.();
  }

  private down(): void {
    if (this.stopped) return;
    this.ready = false;
    this.steps.lost();
  }

  private recover(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= (async () => {
      try {
        await this.steps.restart();
        if (this.stopped) return;
        this.ready = true;
        this.steps.resumed();
        this.connection.logger?.info({ channel: this.name, server: this.connection.address }, 'RabbitMQ channel recovered');
      } catch (error) {
        this.connection.logger?.warn({ channel: this.name, err: (error as Error).message }, 'RabbitMQ channel recovery failed; retrying');
        this.schedule();
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // When the connection itself is down, its `up` starts the recovery instead.
      if (!this.ready && this.connection.isUp()) void this.recover();
    }, RECOVER_DELAY_MS);
  }
}
