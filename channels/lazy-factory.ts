import { createError } from '../core/errors.js';
import type { Channel, ChannelFactory } from './channel.js';

/**
 * An engine built on first use, because its options depend on something that may appear later (a
 * Secret holding its credentials). A build that fails is tried again at the next open, so a
 * broker waiting for its credentials becomes Ready by itself once they exist.
 */
export class LazyChannelFactory implements ChannelFactory {
  private built: ChannelFactory | undefined;
  private closed = false;

  constructor(
    readonly kind: string,
    readonly durable: boolean,
    private readonly build: () => ChannelFactory,
  ) {}

  open(name: string, settings: Record<string, unknown>): Promise<Channel> {
    try {
      return this.factory().open(name, settings);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  async drop(name: string): Promise<void> {
    await this.factory().drop?.(name);
  }

  health(): string | undefined {
    return this.built?.health?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.built?.close();
  }

  private factory(): ChannelFactory {
    if (this.closed) throw createError('JUNCTION_SHUTTING_DOWN', `the ${this.kind} channel engine is closed`);
    this.built ??= this.build();
    return this.built;
  }
}
