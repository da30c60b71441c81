import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelFactory, ChannelMessage, ConsumeOptions, Consumer } from '../../channels/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { eventually as waitUntil, sleep } from '../support/eventually.js';

/** Knobs for engines that need them; the defaults are what every engine must handle. */
export interface ChannelConformanceOptions {
  /** Settings passed to `factory.open` (default {}). */
  settings?: Record<string, unknown>;
  /** Events in the at-least-once case (default 10000). */
  atLeastOnceEvents?: number;
  /** How long to wait for an expected delivery before failing (default 15000 ms). */
  waitMs?: number;
  /**
   * The engine keeps data across restarts (must match `factory.durable`): adds the close-and-reopen
   * case, for which each `makeFactory()` call must open the same storage.
   */
  durable?: boolean;
}

let sequence = 0;

/** A channel or group name no other test (or earlier run against a shared server) uses. */
function uniqueName(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}

function testEvent(index: number, key?: string): CloudEvent {
  const event: CloudEvent = { specversion: '1.0', id: `event-${index}`, source: '/conformance', type: 'dev.junction.conformance', data: { index } };
  if (key !== undefined) event.partitionkey = key;
  return event;
}

function indexOf(message: ChannelMessage): number {
  return (message.event.data as { index: number }).index;
}


const eventually = (check: () => unknown | Promise<unknown>, timeoutMs: number): Promise<void> => waitUntil(check, timeoutMs, 10);

/** Every message a consumer got, in arrival order; `onMessage` decides about ack/nack. */
function collect(
  channel: Channel,
  group: string,
  options: ConsumeOptions,
  onMessage: (message: ChannelMessage) => void = (message) => message.ack(),
): { messages: ChannelMessage[]; consumer: Consumer } {
  const messages: ChannelMessage[] = [];
  const consumer = channel.consume(group, options, (message) => {
    messages.push(message);
    onMessage(message);
  });
  return { messages, consumer };
}

/** Counts of each active-resource type (what keeps a Node process alive). */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/**
 * Registers the shared Channel conformance cases for one engine. Uses only the `Channel` interface,
 * so every engine (memory, sqlite, kafka, nats, rabbitmq) runs it unchanged. Durable engines also
 * get the close-and-reopen cases (`makeFactory` must then reopen the same storage each call).
 */
export function describeChannelConformance(
  name: string,
  makeFactory: () => Promise<ChannelFactory>,
  options: ChannelConformanceOptions = {},
): void {
  const settings = options.settings ?? {};
  const waitMs = options.waitMs ?? 15_000;
  const atLeastOnceEvents = options.atLeastOnceEvents ?? 10_000;
  const durable = options.durable ?? false;

  describe(`Channel conformance: ${name}`, () => {
    let factory: ChannelFactory;
    const opened: Channel[] = [];

    beforeAll(async () => {
      factory = await makeFactory();
    });

    afterAll(async () => {
      for (const channel of opened) await channel.close();
      for (const channel of opened) await factory.drop?.(channel.name);
      await factory.close();
    });

    async function openChannel(): Promise<Channel> {
      const channel = await factory.open(uniqueName('conformance'), settings);
      opened.push(channel);
      return channel;
    }

    it('appends and delivers events unchanged, with increasing offsets', async () => {
      const channel = await openChannel();
      const group = uniqueName('group');
      const { messages, consumer } = collect(channel, group, { maxInFlight: 1 });
      const sent = [testEvent(0), testEvent(1, 'k'), { ...testEvent(2), data: undefined, data_base64: 'AAEC', datacontenttype: 'application/octet-stream' }];
      const records = [];
      for (const event of sent) records.push(...(await channel.append([event])));

      expect(records.map((record) => record.event)).toEqual(sent);
      expect(records[1]?.key).toBe('k');
      await eventually(() => expect(messages).toHaveLength(3), waitMs);
      expect(messages.map((message) => message.event)).toEqual(sent);
      expect(messages.map((message) => message.offset)).toEqual(records.map((record) => record.offset));
      expect(messages[1]?.key).toBe('k');
      expect(messages[0]?.redeliveries).toBe(0);
      const offsets = messages.map((message) => message.offset);
      for (let index = 1; index < offsets.length; index += 1) expect(offsets[index]).toBeGreaterThan(offsets[index - 1] as number);
      await consumer.close();
    });

    it('appends a batch in order', async () => {
      const channel = await openChannel();
      const group = uniqueName('group');
      const { messages, consumer } = collect(channel, group, { maxInFlight: 1 });
      const events = Array.from({ length: 50 }, (_, index) => testEvent(index));
      const records = await channel.append(events);

      expect(records.map((record) => record.event.id)).toEqual(events.map((event) => event.id));
      for (let index = 1; index < records.length; index += 1) expect(records[index]?.offset).toBeGreaterThan(records[index - 1]?.offset as number);
      await eventually(() => expect(messages).toHaveLength(50), waitMs);
      expect(messages.map(indexOf)).toEqual(events.map((_, index) => index));
      await consumer.close();
    });

    it('keeps per-key order under concurrency (orderedByKey, 20 keys x 100 events, random ack delays)', async () => {
      const channel = await openChannel();
      const group = uniqueName('group');
      const keys = Array.from({ length: 20 }, (_, index) => `key-${index}`);
      const inFlightKeys = new Set<string>();
      let overlaps = 0;
      const seen = new Map<string, number[]>(keys.map((key) => [key, []]));
      let acked = 0;
      const consumer = channel.consume(group, { maxInFlight: 16, orderedByKey: true }, (message) => {
        const key = message.key as string;
        if (inFlightKeys.has(key)) overlaps += 1;
        inFlightKeys.add(key);
        seen.get(key)?.push((message.event.data as { index: number }).index);
        setTimeout(() => {
          inFlightKeys.delete(key);
          acked += 1;
          message.ack();
        }, Math.floor(Math.random() * 4));
      });
      // One producer per key, all concurrent: per key, log order is the producer's order.
      await Promise.all(
        keys.map(async (key) => {
          for (let index = 0; index < 100; index += 1) await channel.append([testEvent(index, key)]);
        }),
      );
      await eventually(() => expect(acked).toBeGreaterThanOrEqual(2000), waitMs);
      // Nothing is due any more (no redelivery can still join a key's sequence).
      await eventually(async () => expect(await channel.backlog(group)).toBe(0), waitMs);
      expect(overlaps).toBe(0);
      for (const key of keys) expect(seen.get(key)).toEqual(Array.from({ length: 100 }, (_, index) => index));
      await consumer.close();
    });

    it(`delivers at least once: a consumer closing with unacked messages loses nothing (${atLeastOnceEvents} events)`, async () => {
      const channel = await openChannel();
      const group = uniqueName('group');
      await channel.seek(group, 'latest');
      for (let start = 0; start < atLeastOnceEvents; start += 500) {
        await channel.append(Array.from({ length: Math.min(500, atLeastOnceEvents - start) }, (_, offset) => testEvent(start + offset)));
      }
      const ackedByFirst = new Set<number>();
      const half = Math.floor(atLeastOnceEvents / 2);
      // The first consumer acks 9 of 10 messages and leaves every 10th unacked, then goes away.
      let received = 0;
      const first = channel.consume(group, { maxInFlight: 2000 }, (message) => {
        received += 1;
        const index = indexOf(message);
        if (index % 10 !== 0) {
          ackedByFirst.add(index);
          message.ack();
        }
      });
      await eventually(() => expect(received).toBeGreaterThanOrEqual(half), waitMs);
      await first.close();

      const second = collect(channel, group, { maxInFlight: 256 });
      const missing = (): number[] => {
        const got = new Set(second.messages.map(indexOf));
        return Array.from({ length: atLeastOnceEvents }, (_, index) => index).filter((index) => !ackedByFirst.has(index) && !got.has(index));
      };
      await eventually(() => expect(missing()).toEqual([]), waitMs);
      const duplicates = second.messages.filter((message) => ackedByFirst.has(indexOf(message))).length;
      // Duplicates are allowed (at-least-once); nothing may be lost.
      expect(duplicates).toBeLessThanOrEqual(atLeastOnceEvents);
      expect(second.messages.some((message) => indexOf(message) % 10 === 0 && indexOf(message) < half)).toBe(true);
      await eventually(async () => expect(await channel.backlog(group)).toBe(0), waitMs);
      await second.consumer.close();
    });

    it('redelivers a nacked message after its delay with redeliveries = 1', async () => {
      const channel = await openChannel();
      const group = uniqueName('group');
      const deliveredAt: number[] = [];
      const { messages, consumer } = collect(channel, group, { maxInFlight: 4 }, (message) => {
        deliveredAt.push(Date.now());
        if (indexOf(message) === 1 && message.redeliveries === 0) message.nack(300);
        else message.ack();
      });
      await channel.append([testEvent(1)]);
      await eventually(() => expect(messages).toHaveLength(2), waitMs);
      expect(messages.map((message) => message.redeliveries)).toEqual([0, 1]);
      expect(messages[1]?.event).toEqual(messages[0]?.event);
      expect((deliveredAt[1] as number) - (deliveredAt[0] as number)).toBeGreaterThanOrEqual(250);
      // Acking or nacking again is a no-op. A later event goes through, and once the group is at the
      // end of the log nothing is due any more: event 1 did not come back.
      messages[0]?.ack();
      messages[1]?.nack(0);
      await channel.append([testEvent(2)]);
      await eventually(() => expect(messages.map(indexOf)).toContain(2), waitMs);
      await eventually(async () => expect(await channel.backlog(group)).toBe(0), waitMs);
      expect(messages.map((message) => `${indexOf(message)}#${message.redeliveries}`)).toEqual(['1#0', '1#1', '2#0']);
      await consumer.close();
    });

    it('shares a group between two consumers without duplicates', async () => {
      const channel = await openChannel();
      const group = uniqueName('group');
      const ackSoon = (message: ChannelMessage): void => void setImmediate(() => message.ack());
      const one = collect(channel, group, { maxInFlight: 8 }, ackSoon);
      const two = collect(channel, group, { maxInFlight: 8 }, ackSoon);
      await channel.append(Array.from({ length: 1000 }, (_, index) => testEvent(index)));
      await eventually(() => expect(one.messages.length + two.messages.length).toBeGreaterThanOrEqual(1000), waitMs);
      // The group is at the end of the log: every event acked, none left to hand out again.
      await eventually(async () => expect(await channel.backlog(group)).toBe(0), waitMs);
      const all = [...one.messages, ...two.messages].map(indexOf);
      expect(all).toHaveLength(1000);
      expect(new Set(all).size).toBe(1000);
      expect(one.messages.length).toBeGreaterThan(0);
      expect(two.messages.length).toBeGreaterThan(0);
      await Promise.all([one.consumer.close(), two.consumer.close()]);
    });

    it('gives every event to each independent group', async () => {
      const channel = await openChannel();
      const first = collect(channel, uniqueName('group'), { maxInFlight: 32 });
      const second = collect(channel, uniqueName('group'), { maxInFlight: 32 });
      await channel.append(Array.from({ length: 200 }, (_, index) => testEvent(index)));
      await eventually(() => expect([first.messages.length, second.messages.length]).toEqual([200, 200]), waitMs);
      for (const { messages } of [first, second]) expect(new Set(messages.map(indexOf)).size).toBe(200);
      await Promise.all([first.consumer.close(), second.consumer.close()]);
    });

    it('replays from an offset, a time and the earliest event after seek', async () => {
      const channel = await openChannel();
      const batches = [];
      for (let batch = 0; batch < 3; batch += 1) {
        batches.push(await channel.append(Array.from({ length: 10 }, (_, index) => testEvent(batch * 10 + index))));
        // A later append time for the next batch, so that seeking to its time leaves this one out.
        await sleep(25);
      }
      const byOffset = uniqueName('group');
      await channel.seek(byOffset, { offset: batches[0]?.[5]?.offset as number });
      const byTime = uniqueName('group');
      await channel.seek(byTime, { time: batches[1]?.[0]?.appendedAt as number });
      const fromStart = uniqueName('group');
      await channel.seek(fromStart, 'earliest');
      const range = (from: number): number[] => Array.from({ length: 30 - from }, (_, index) => from + index);

      const collected = [collect(channel, byOffset, { maxInFlight: 1 }), collect(channel, byTime, { maxInFlight: 1 }), collect(channel, fromStart, { maxInFlight: 1 })];
      await eventually(() => expect(collected.map(({ messages }) => messages.map(indexOf))).toEqual([range(5), range(10), range(0)]), waitMs);

      // Seeking a group that is consuming replays too.
      await channel.seek(byOffset, { offset: batches[2]?.[8]?.offset as number });
      await eventually(() => expect(collected[0]?.messages.map(indexOf).slice(25)).toEqual([28, 29]), waitMs);
      await Promise.all(collected.map(({ consumer }) => consumer.close()));
    });

    it('reports an exact backlog before and after consuming and acking', async () => {
      const channel = await openChannel();
      const group = uniqueName('group');
      await channel.seek(group, 'latest');
      expect(await channel.backlog(group)).toBe(0);
      await channel.append(Array.from({ length: 10 }, (_, index) => testEvent(index)));
      expect(await channel.backlog(group)).toBe(10);

      const { messages, consumer } = collect(channel, group, { maxInFlight: 4 }, () => undefined);
      await eventually(() => expect(messages).toHaveLength(4), waitMs);
      expect(await channel.backlog(group)).toBe(10);
      // Acks out of order: the position only advances over the acked prefix. The group took both acks
      // in (it hands out two more in their place), and still counts every event.
      messages[1]?.ack();
      messages[2]?.ack();
      await eventually(() => expect(messages).toHaveLength(6), waitMs);
      expect(await channel.backlog(group)).toBe(10);
      messages[0]?.ack();
      await eventually(async () => expect(await channel.backlog(group)).toBe(7), waitMs);
      messages[3]?.ack();
      await eventually(() => expect(messages.length).toBeGreaterThanOrEqual(8), waitMs);
      for (const message of messages.slice(4)) message.ack();
      await eventually(() => expect(messages).toHaveLength(10), waitMs);
      for (const message of messages.slice(8)) message.ack();
      await eventually(async () => expect(await channel.backlog(group)).toBe(0), waitMs);
      await consumer.close();
    });

    it('closes cleanly: nothing keeps the process alive and later calls reject clearly', async () => {
      const before = activeResources();
      const own = await makeFactory();
      const channel = await own.open(uniqueName('conformance'), settings);
      const { messages, consumer } = collect(channel, uniqueName('group'), { maxInFlight: 8 });
      await channel.append([testEvent(1), testEvent(2)]);
      await eventually(() => expect(messages).toHaveLength(2), waitMs);
      await consumer.close();
      await consumer.close();
      const channelName = channel.name;
      await channel.close();
      await own.drop?.(channelName);
      await own.close();

      await expect(channel.append([testEvent(3)])).rejects.toMatchObject({ code: expect.stringMatching(/^JUNCTION_/) });
      await expect(channel.backlog('any')).rejects.toMatchObject({ code: expect.stringMatching(/^JUNCTION_/) });
      await expect(own.open(uniqueName('conformance'), settings)).rejects.toMatchObject({ code: expect.stringMatching(/^JUNCTION_/) });
      await eventually(() => {
        const after = activeResources();
        for (const [type, count] of after) expect(`${type}: ${count}`).toBe(`${type}: ${Math.min(count, before.get(type) ?? 0)}`);
      }, waitMs);
    });

    it('declares its durability as the suite expects', () => {
      expect(factory.durable).toBe(durable);
    });

    if (!durable) return;

    it('keeps events and committed group positions across a factory restart', async () => {
      const first = await makeFactory();
      const channelName = uniqueName('conformance');
      const group = uniqueName('group');
      const channel = await first.open(channelName, settings);
      await channel.seek(group, 'latest');
      const records = await channel.append(Array.from({ length: 20 }, (_, index) => testEvent(index, `key-${index % 3}`)));
      // Ack the first 10 in order, leave the next ones unacked.
      const { messages, consumer } = collect(channel, group, { maxInFlight: 1 }, (message) => {
        if (indexOf(message) < 10) message.ack();
      });
      await eventually(() => expect(messages).toHaveLength(11), waitMs);
      await consumer.close();
      await channel.close();
      await first.close();

      const second = await makeFactory();
      try {
        const reopened = await second.open(channelName, settings);
        const replay = collect(reopened, uniqueName('group'), { maxInFlight: 64 });
        await reopened.seek(uniqueName('unused'), 'earliest');
        const resumed = collect(reopened, group, { maxInFlight: 1 });
        await eventually(() => expect(resumed.messages.length).toBeGreaterThanOrEqual(10), waitMs);
        // Acked events are not redelivered; the unacked ones are, in order, with their data intact.
        expect(resumed.messages.map(indexOf)).toEqual(Array.from({ length: 10 }, (_, index) => 10 + index));
        expect(resumed.messages[0]?.offset).toBe(records[10]?.offset);
        expect(resumed.messages[0]?.event).toEqual(records[10]?.event);
        expect(resumed.messages[0]?.key).toBe('key-1');
        expect(await reopened.backlog(group)).toBe(0);
        // Offsets continue after the restart; a new group starts at the latest position.
        const more = await reopened.append([testEvent(20)]);
        expect(more[0]?.offset).toBeGreaterThan(records[19]?.offset as number);
        await eventually(() => expect(resumed.messages.map(indexOf)).toContain(20), waitMs);
        await eventually(() => expect(replay.messages.map(indexOf)).toEqual([20]), waitMs);
        await Promise.all([replay.consumer.close(), resumed.consumer.close()]);
        await reopened.close();
        await second.drop?.(channelName);
      } finally {
        await second.close();
      }
    });
  });
}
