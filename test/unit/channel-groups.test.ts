import { afterEach, describe, expect, it } from 'vitest';
import { groupCursorName, hasLogAccess, MemoryChannelFactory, type Channel, type ChannelMessage, type LogAccess } from '../../channels/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';

// Consumer-group semantics shared by every log engine (channels/log/), exercised on the memory engine.

const factories: MemoryChannelFactory[] = [];
afterEach(async () => {
  await Promise.all(factories.splice(0).map((factory) => factory.close()));
});

function event(index: number, key?: string): CloudEvent {
  const result: CloudEvent = { specversion: '1.0', id: `e-${index}`, source: '/unit', type: 'unit.test', data: { index } };
  if (key !== undefined) result.partitionkey = key;
  return result;
}

const indexOf = (message: ChannelMessage): number => (message.event.data as { index: number }).index;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for condition');
    await sleep(5);
  }
}

async function openLog(): Promise<Channel & LogAccess> {
  const factory = new MemoryChannelFactory();
  factories.push(factory);
  const channel = await factory.open('groups', {});
  if (!hasLogAccess(channel)) throw new Error('expected LogAccess');
  return channel;
}

describe('consumer groups on a log', () => {
  it('starts a new group at the latest position and stores it as cursor group:<name>', async () => {
    const log = await openLog();
    await log.append([event(0), event(1)]);
    const received: ChannelMessage[] = [];
    const consumer = log.consume('fresh', { maxInFlight: 8 }, (message) => received.push(message));
    expect(log.cursor(groupCursorName('fresh'))).toBe(2);
    await log.append([event(2)]);
    await until(() => received.length === 1);
    expect(received.map(indexOf)).toEqual([2]);
    received[0]?.ack();
    await until(() => log.cursor('group:fresh') === 3);
    await consumer.close();
  });

  it('never has more than maxInFlight unacked messages per consumer', async () => {
    const log = await openLog();
    const held: ChannelMessage[] = [];
    const consumer = log.consume('bounded', { maxInFlight: 3 }, (message) => held.push(message));
    // A group without a bound on the same log: once it got all ten, the append has been handed out
    // to every group as far as each may take it.
    const witnessed: ChannelMessage[] = [];
    const witness = log.consume('witness', { maxInFlight: 100 }, (message) => witnessed.push(message));
    await log.append(Array.from({ length: 10 }, (_, index) => event(index)));
    await until(() => held.length >= 3 && witnessed.length === 10);
    expect(held).toHaveLength(3);
    held[0]?.ack();
    await until(() => held.length === 4);
    expect(held.map(indexOf)).toEqual([0, 1, 2, 3]);
    await Promise.all([consumer.close(), witness.close()]);
  });

  it('holds later messages of a key behind a nacked one, but not messages of other keys or without key', async () => {
    const log = await openLog();
    const received: ChannelMessage[] = [];
    const consumer = log.consume('ordered', { maxInFlight: 10, orderedByKey: true }, (message) => {
      received.push(message);
      if (indexOf(message) === 0 && message.redeliveries === 0) message.nack(100);
      else message.ack();
    });
    await log.append([event(0, 'a'), event(1, 'a'), event(2, 'b'), event(3), event(4, 'a')]);
    await until(() => received.length === 3);
    expect(received.map(indexOf)).toEqual([0, 2, 3]);
    await until(() => received.length === 6);
    expect(received.slice(3).map(indexOf)).toEqual([0, 1, 4]);
    expect(received[3]?.redeliveries).toBe(1);
    await consumer.close();
  });

  it('redelivers the message of a handler that throws', async () => {
    const log = await openLog();
    const received: ChannelMessage[] = [];
    const consumer = log.consume('throws', { maxInFlight: 1 }, (message) => {
      received.push(message);
      if (message.redeliveries === 0) throw new Error('handler bug');
      message.ack();
    });
    await log.append([event(7)]);
    await until(() => received.length === 2);
    expect(received.map((message) => [indexOf(message), message.redeliveries])).toEqual([[7, 0], [7, 1]]);
    await consumer.close();
  });

  it('ignores ack/nack after the consumer closed; the message goes to the next consumer', async () => {
    const log = await openLog();
    const first: ChannelMessage[] = [];
    const consumer = log.consume('handover', { maxInFlight: 1 }, (message) => first.push(message));
    await log.append([event(0)]);
    await until(() => first.length === 1);
    await consumer.close();
    first[0]?.ack();
    expect(await log.backlog('handover')).toBe(1);
    const second: ChannelMessage[] = [];
    const next = log.consume('handover', { maxInFlight: 1 }, (message) => {
      second.push(message);
      message.ack();
    });
    await until(() => second.length === 1);
    expect(second[0]?.redeliveries).toBe(1);
    await until(() => log.cursor('group:handover') === 1);
    await next.close();
  });

  it('seeks a consuming group without recalling messages in flight', async () => {
    const log = await openLog();
    await log.append(Array.from({ length: 5 }, (_, index) => event(index)));
    await log.seek('rewind', 'earliest');
    const received: ChannelMessage[] = [];
    const consumer = log.consume('rewind', { maxInFlight: 2 }, (message) => received.push(message));
    await until(() => received.length === 2);
    await log.seek('rewind', { offset: 3 });
    expect(await log.backlog('rewind')).toBe(2);
    for (const message of received.splice(0)) message.ack();
    await until(() => received.length === 2);
    expect(received.map(indexOf)).toEqual([3, 4]);
    await consumer.close();
  });

  it('forgets a deleted group: it starts again at the latest position', async () => {
    const log = await openLog();
    await log.seek('gone', 'earliest');
    await log.append([event(0), event(1)]);
    expect(await log.backlog('gone')).toBe(2);
    await log.deleteGroup('gone');
    expect(log.cursor('group:gone')).toBeUndefined();
    expect(await log.backlog('gone')).toBe(0);
    const received: ChannelMessage[] = [];
    const consumer = log.consume('gone', { maxInFlight: 4 }, (message) => received.push(message));
    await log.append([event(2)]);
    await until(() => received.length === 1);
    expect(received.map(indexOf)).toEqual([2]);
    await consumer.close();
  });

  it('rejects bad consume options and seek targets', async () => {
    const log = await openLog();
    expect(() => log.consume('bad', { maxInFlight: 0 }, () => undefined)).toThrow(expect.objectContaining({ code: 'JUNCTION_BAD_REQUEST' }));
    await expect(log.seek('bad', { offset: 1.5 })).rejects.toMatchObject({ code: 'JUNCTION_REPLAY_INVALID' });
    await expect(log.seek('bad', 'yesterday' as 'latest')).rejects.toMatchObject({ code: 'JUNCTION_REPLAY_INVALID' });
  });

  it('clamps seek offsets to the retained range', async () => {
    const log = await openLog();
    await log.append([event(0), event(1)]);
    await log.seek('clamped', { offset: 99 });
    expect(await log.backlog('clamped')).toBe(0);
    await log.seek('clamped', { offset: -5 });
    expect(await log.backlog('clamped')).toBe(2);
  });
});
