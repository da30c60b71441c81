import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { hasLogAccess, MemoryChannelFactory, type Channel, type LogAccess } from '../../channels/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';

const factories: MemoryChannelFactory[] = [];
afterEach(async () => {
  await Promise.all(factories.splice(0).map((factory) => factory.close()));
});

function event(index: number): CloudEvent {
  return { specversion: '1.0', id: `e-${index}`, source: '/unit', type: 'unit.test', data: { index } };
}

async function openLog(options: ConstructorParameters<typeof MemoryChannelFactory>[0] = {}, settings: Record<string, unknown> = {}): Promise<Channel & LogAccess> {
  const factory = new MemoryChannelFactory(options);
  factories.push(factory);
  const channel = await factory.open('orders', settings);
  if (!hasLogAccess(channel)) throw new Error('memory channels must offer LogAccess');
  return channel;
}

describe('memory channel', () => {
  it('is not durable and offers random access by offset', async () => {
    const factory = new MemoryChannelFactory();
    factories.push(factory);
    expect(factory.kind).toBe('memory');
    expect(factory.durable).toBe(false);
    const log = await openLog();
    await log.append([event(0), event(1), event(2)]);
    expect([log.tail(), log.head()]).toEqual([0, 3]);
    expect(log.read(1, 10).map((record) => record.event.id)).toEqual(['e-1', 'e-2']);
  });

  it('holds no memory for dropped records: the heap is bounded by maxEvents, not twice that', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const log = await openLog({ maxEvents: 2000 });
    const dropped: Array<WeakRef<CloudEvent>> = [];
    const kept: Array<WeakRef<CloudEvent>> = [];
    for (let batch = 0; batch < 30; batch++) {
      const events = Array.from({ length: 100 }, (_, index) => event(batch * 100 + index));
      for (const one of events) (batch < 10 ? dropped : kept).push(new WeakRef(one));
      await log.append(events);
    }
    expect([log.tail(), log.head()]).toEqual([1000, 3000]);
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(dropped.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(kept.filter((ref) => ref.deref() !== undefined)).toHaveLength(2000);
    expect(log.read(1000, 1)[0]?.event.id).toBe('e-1000');
  });

  it('keeps at most maxEvents records, dropping the oldest', async () => {
    const log = await openLog({ maxEvents: 5 });
    await log.append(Array.from({ length: 8 }, (_, index) => event(index)));
    expect([log.tail(), log.head()]).toEqual([3, 8]);
    expect(log.read(0, 100).map((record) => record.offset)).toEqual([3, 4, 5, 6, 7]);
  });

  it('drops records older than retentionMs (per-channel setting)', async () => {
    const log = await openLog({}, { retentionMs: 30 });
    await log.append([event(0), event(1)]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await log.append([event(2)]);
    expect(log.tail()).toBe(2);
    expect(log.read(0, 10).map((record) => record.event.id)).toEqual(['e-2']);
  });

  it('finds the first offset appended at or after a time', async () => {
    const log = await openLog();
    const [first] = await log.append([event(0)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [second] = await log.append([event(1)]);
    expect(log.offsetAt(0)).toBe(0);
    expect(log.offsetAt(second?.appendedAt as number)).toBe(1);
    expect(first?.appendedAt).toBeLessThan(second?.appendedAt as number);
    expect(log.offsetAt(Date.now() + 60_000)).toBe(2);
  });

  it('keeps records and positions when a channel is reopened in the same process, forgets them on drop', async () => {
    const factory = new MemoryChannelFactory();
    factories.push(factory);
    const channel = await factory.open('kept', {});
    expect(await factory.open('kept', {})).toBe(channel);
    await channel.seek('group', 'latest');
    await channel.append([event(0), event(1)]);
    await channel.close();
    const again = await factory.open('kept', {});
    expect(again).not.toBe(channel);
    expect(await again.backlog('group')).toBe(2);
    await factory.drop('kept');
    const fresh = await factory.open('kept', {});
    expect(await fresh.backlog('group')).toBe(0);
    expect((await fresh.append([event(9)]))[0]?.offset).toBe(0);
  });

  it('rejects invalid settings with every problem', async () => {
    const factory = new MemoryChannelFactory();
    factories.push(factory);
    await expect(factory.open('bad', { retentionMs: -1, maxEvents: 'many' })).rejects.toMatchObject({
      code: 'JUNCTION_CONFIG_INVALID',
      problems: [expect.objectContaining({ path: 'settings.retentionMs' }), expect.objectContaining({ path: 'settings.maxEvents' })],
    });
    expect(() => new MemoryChannelFactory({ maxEvents: 0 })).toThrow(expect.objectContaining({ code: 'JUNCTION_CONFIG_INVALID' }));
  });
});
