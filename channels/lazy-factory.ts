import { createError } from '../core/errors.js';
import type { Channel, ChannelFactory } from './channel.js';

/**
 * An engine built on first use, because its options depend on something that may appear later (a
 * Secret holding its credentials). A build that fails is tried again at the next open, so a
 * broker waiting for its credentials becomes Ready by itself once they exist.
 */
export class LazyChannelFactory implements ChannelFactory {
  private built: ChannelFactory | undefined;
  private building: Promise<ChannelFactory> | undefined;
  private closed = false;

  constructor(
    readonly kind: string,
    readonly durable: boolean,
    /** Builds the engine (may import its module on demand); a rejection is retried at the next use. */
    private readonly build: () => Promise<ChannelFactory>,
  ) {}

  async open(name: string, settings: Record<string, unknown>): Promise<Channel> {
    return (await this.factory()).open(name, settings);
  }

  async drop(name: string): Promise<void> {
    await (await this.factory()).drop?.(name);
  }

  health(): string | undefined {
    return this.built?.health?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.built?.close();
  }

  private async factory(): Promise<ChannelFactory> {
    if (this.closed) throw createError('JUNCTION_SHUTTING_DOWN', `the ${this.kind} channel engine is closed`);
    if (this.built) return this.built;
    this.building ??= this.build().then(
      (factory) => {
        if (this.closed) void factory.close();
        this.built = factory;
        return factory;
      },
      (error: unknown) => {
        this.building = undefined;
        throw error;
      },
    );
    return this.building;
  }
}
