import { describe, expect, it } from 'vitest';
import { ChannelRegistry, MemoryChannelFactory, type Channel, type ChannelFactory } from '../../channels/index.js';

/** A factory whose close fails, to check that closeAll still closes the others. */
class FailingFactory implements ChannelFactory {
  readonly kind = 'failing';
  readonly durable = false;
  open(): Promise<Channel> {
    return Promise.reject(new Error('not used'));
  }
  close(): Promise<void> {
    return Promise.reject(new Error('disk on fire'));
  }
}

describe('ChannelRegistry', () => {
  it('returns registered engines by kind and lists the kinds', () => {
    const registry = new ChannelRegistry();
    const memory = new MemoryChannelFactory();
    registry.register(memory);
    expect(registry.get('memory')).toBe(memory);
    expect(registry.kinds()).toEqual(['memory']);
  });

  it('rejects an unknown kind with JUNCTION_CONFIG_INVALID naming the known ones', () => {
    const registry = new ChannelRegistry();
    registry.register(new MemoryChannelFactory());
    expect(() => registry.get('kafka')).toThrow(expect.objectContaining({ code: 'JUNCTION_CONFIG_INVALID', message: expect.stringContaining('unknown channel kind "kafka"') }));
    expect(() => registry.get('kafka')).toThrow(/known: memory/);
  });

  it('refuses to register a kind twice', () => {
    const registry = new ChannelRegistry();
    registry.register(new MemoryChannelFactory());
    expect(() => registry.register(new MemoryChannelFactory())).toThrow(expect.objectContaining({ code: 'JUNCTION_CONFIG_INVALID' }));
  });

  it('closes every engine, reporting a failure only after trying all', async () => {
    const registry = new ChannelRegistry();
    const memory = new MemoryChannelFactory();
    registry.register(new FailingFactory());
    registry.register(memory);
    await expect(registry.closeAll()).rejects.toThrow('disk on fire');
    await expect(memory.open('after-close', {})).rejects.toMatchObject({ code: 'JUNCTION_SHUTTING_DOWN' });
  });
});
