import { createError } from '../core/errors.js';
import type { ChannelFactory } from './channel.js';

/** The channel engines Junction can use, by kind ('sqlite', 'memory', 'kafka'…); callers never switch on a kind. */
export class ChannelRegistry {
  private readonly factories = new Map<string, ChannelFactory>();

  /** Adds an engine; a kind can be registered once. */
  register(factory: ChannelFactory): void {
    if (this.factories.has(factory.kind)) {
      throw createError('JUNCTION_CONFIG_INVALID', `channel kind "${factory.kind}" is already registered`);
    }
    this.factories.set(factory.kind, factory);
  }

  /** The engine of `kind`; JUNCTION_CONFIG_INVALID when no such engine is registered. */
  get(kind: string): ChannelFactory {
    const factory = this.factories.get(kind);
    if (!factory) {
      throw createError('JUNCTION_CONFIG_INVALID', `unknown channel kind "${kind}" (known: ${this.kinds().join(', ') || 'none'})`);
    }
    return factory;
  }

  /** Undefined when the engine `kind` is reachable (or has no server to reach), else why not. */
  health(kind: string): string | undefined {
    return this.factories.get(kind)?.health?.();
  }

  /** True when the engine `kind` runs on a server whose reachability can change. */
  isRemote(kind: string): boolean {
    return typeof this.factories.get(kind)?.health === 'function';
  }

  /** The registered kinds, in registration order. */
  kinds(): string[] {
    return [...this.factories.keys()];
  }

  /** Closes every engine (each finishes its pending appends); rejects with the first failure after trying all. */
  async closeAll(): Promise<void> {
    const results = await Promise.allSettled([...this.factories.values()].map((factory) => factory.close()));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
