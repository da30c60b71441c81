import { afterAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelMessage, Consumer } from '../../channels/index.js';
import { RabbitMqChannelFactory } from '../../channels/rabbitmq/index.js';
import { slotOf } from '../../channels/rabbitmq/slotted-group.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { waitForGroupDrained } from '../support/drained.js';
import { eventually } from '../support/eventually.js';
import { deleteWithPrefix, queuesWithPrefix, RABBITMQ_URL, uniquePrefix } from '../support/rabbitmq-server.js';

const prefix = uniquePrefix('slots');

function event(index: number): CloudEvent {
  return { specversion: '1.0', id: `slot-${index}`, source: '/slots', type: 'dev.junction.slots', partitionkey: `key-${index % 20}`, data: { index } };
}

/** One Junction process: its own connection, the channel, and one consumer of group `work`. */
interface Replica {
  factory: RabbitMqChannelFactory;
  channel: Channel;
  consumer?: Consumer;
  received: number[];
}

async function replica(connectionName: string): Promise<Replica> {
  const factory = new RabbitMqChannelFactory({ url: RABBITMQ_URL, prefix, connectionName });
  const channel = await factory.open('orders', { groupSlots: 4 });
  return { factory, channel, received: [] };
}

function consume(target: Replica): void {
  target.consumer = target.channel.consume('work', { maxInFlight: 8, orderedByKey: true }, (message: ChannelMessage) => {
    target.received.push((message.event.data as { index: number }).index);
    setImmediate(() => message.ack());
  });
}

/** Slots of group `work` this replica reads now. */
function held(target: Replica): number {
  const group = (target.channel as unknown as { runtimes: Map<string, { held(): number }> }).runtimes.get('work');
  return group?.held() ?? 0;
}

describe('a rabbitmq consumer group with slots, consumed by two processes', () => {
  const replicas: Replica[] = [];
  afterAll(async () => {
    await Promise.all(replicas.map((target) => target.factory.close()));
    await deleteWithPrefix(prefix);
  });

  it('splits the group between them by key, each event once and each key in order; the survivor takes every slot', async () => {
    const first = await replica('junction-slots-a');
    const second = await replica('junction-slots-b');
    replicas.push(first, second);
    consume(first);
    // Alone, the first process reads every slot; once the second subscribes, it hands two over.
    await eventually(() => held(first) === 4, 20_000, 50);
    consume(second);
    await eventually(() => held(first) === 2 && held(second) === 2, 20_000, 50);

    const appended = 400;
    for (let index = 0; index < appended; index += 10) await first.channel.append(Array.from({ length: 10 }, (_, offset) => event(index + offset)));
    await eventually(() => first.received.length + second.received.length >= appended, 20_000, 20);
    // Both processes see the group at the end of the log: nothing is left to hand to either of them.
    await waitForGroupDrained('work', [first.channel, second.channel]);

    // Each event once (steady state: no slot moved while they flowed), both processes did part of it.
    const all = [...first.received, ...second.received].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: appended }, (_, index) => index));
    expect(first.received.length).toBeGreaterThan(50);
    expect(second.received.length).toBeGreaterThan(50);
    // A key lives in one slot, so one process got all of its events, in the order appended.
    for (let key = 0; key < 20; key += 1) {
      const ofKey = (target: Replica) => target.received.filter((index) => index % 20 === key);
      const [mine, theirs] = ofKey(first).length > 0 ? [ofKey(first), ofKey(second)] : [ofKey(second), ofKey(first)];
      expect(theirs).toEqual([]);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
      expect(mine).toHaveLength(20);
    }

    // The first process stops consuming: its slots go to the second, which gets everything after.
    await first.consumer?.close();
    await eventually(() => held(second) === 4, 20_000, 50);
    const before = second.received.length;
    await first.channel.append(Array.from({ length: 40 }, (_, offset) => event(appended + offset)));
    await eventually(() => second.received.length >= before + 40, 20_000, 20);
    expect(second.received.slice(before).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, offset) => appended + offset));

    // Deleting the group removes every slot's lease queue.
    await second.consumer?.close();
    expect(queuesWithPrefix(prefix).filter((queue) => queue.includes('.group.work'))).toHaveLength(4);
    await second.channel.deleteGroup('work');
    expect(queuesWithPrefix(prefix).filter((queue) => queue.includes('.group.work'))).toEqual([]);
  }, 90_000);

  it('hands slots over while events flow without delivering any twice (handlers finish within the drain)', async () => {
    const first = await replica('junction-slots-d');
    const second = await replica('junction-slots-e');
    replicas.push(first, second);
    const slowConsume = (target: Replica): void => {
      target.consumer = target.channel.consume('flow', { maxInFlight: 8 }, (message: ChannelMessage) => {
        target.received.push((message.event.data as { index: number }).index);
        setTimeout(() => message.ack(), 30);
      });
    };
    const heldFlow = (target: Replica): number =>
      (target.channel as unknown as { runtimes: Map<string, { held(): number }> }).runtimes.get('flow')?.held() ?? 0;
    slowConsume(first);
    await eventually(() => heldFlow(first) === 4, 20_000, 50);

    let next = 0;
    let producing = true;
    const producer = (async () => {
      while (producing) {
        await first.channel.append(Array.from({ length: 5 }, () => event(next++)));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await eventually(() => first.received.length > 50, 20_000, 20);
    slowConsume(second);
    await eventually(() => heldFlow(first) === 2 && heldFlow(second) === 2, 20_000, 50);
    const handedOverAt = [first.received.length, second.received.length];
    // Events keep flowing after the hand-over until each process has read a hundred more of them.
    await eventually(() => first.received.length >= handedOverAt[0]! + 100 && second.received.length >= handedOverAt[1]! + 100, 20_000, 20);
    producing = false;
    await producer;
    await eventually(() => first.received.length + second.received.length >= next, 30_000, 20);
    await waitForGroupDrained('flow', [first.channel, second.channel], 30_000);

    const all = [...first.received, ...second.received].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: next }, (_, index) => index));
    expect(second.received.length).toBeGreaterThan(handedOverAt[1]!);
    await first.consumer?.close();
    await second.consumer?.close();
  }, 90_000);

  it('rejects a slot count outside 1..64, and spreads keys over every slot', async () => {
    const factory = new RabbitMqChannelFactory({ url: RABBITMQ_URL, prefix, connectionName: 'junction-slots-c' });
    try {
      await expect(factory.open('bad', { groupSlots: 0 })).rejects.toMatchObject({ code: 'JUNCTION_CONFIG_INVALID' });
      await expect(factory.open('bad', { groupSlots: 65 })).rejects.toMatchObject({ code: 'JUNCTION_CONFIG_INVALID' });
    } finally {
      await factory.close();
    }
    const counts = [0, 0, 0, 0];
    for (let index = 0; index < 400; index += 1) counts[slotOf({ ...event(index), partitionkey: `k-${index}` }, 4)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(60);
  });
});
