import { connect, headers, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelMessage } from '../../channels/index.js';
import { NatsChannelFactory, type NatsChannelOptions } from '../../channels/nats/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { waitForGroupDrained } from '../support/drained.js';
import { eventually as waitUntil } from '../support/eventually.js';
import { deleteStreams, uniqueStreamPrefix } from '../support/nats-streams.js';
import { NATS_URL } from '../support/services.js';

// What the NATS JetStream engine does beyond the shared Channel conformance suite
// (test/conformance/nats.test.ts), on the shared server; every stream of this run carries its own prefix.
const servers = NATS_URL;
const streamPrefix = uniqueStreamPrefix('engine');
const subjectPrefix = streamPrefix.toLowerCase();
afterAll(() => deleteStreams(servers, streamPrefix));

function makeFactory(options: NatsChannelOptions = {}): NatsChannelFactory {
  return new NatsChannelFactory({ servers, streamPrefix, subjectPrefix, ...options });
}

const eventually = (check: () => unknown | Promise<unknown>, timeoutMs = 15_000): Promise<void> => waitUntil(check, timeoutMs, 10);

function event(id: string, extra: Partial<CloudEvent> = {}): CloudEvent {
  return { specversion: '1.0', id, source: '/nats-specifics', type: 'dev.junction.test', ...extra };
}

describe('nats engine: binding, names, settings and failures', () => {
  const factory = makeFactory();
  let nc: NatsConnection;
  let sequence = 0;
  const channelName = (label: string): string => `${label}-${++sequence}`;

  beforeAll(async () => {
    nc = await connect({ servers });
  });
  afterAll(async () => {
    await factory.close();
    await nc.close();
  });

  function received(channel: Channel, group: string, maxInFlight = 16): ChannelMessage[] {
    const messages: ChannelMessage[] = [];
    channel.consume(group, { maxInFlight }, (message) => {
      messages.push(message);
      message.ack();
    });
    return messages;
  }

  it('round-trips every kind of attribute and data exactly, stored in the binding binary mode', async () => {
    const name = channelName('binding');
    const channel = await factory.open(name, {});
    const messages = received(channel, 'all');
    const sent: CloudEvent[] = [
      event('unicode', { subject: 'Euro € 😀 "quoted" 100%', time: '2018-04-05T17:31:00Z', comexampleflag: true, comexamplecount: 42, data: { nested: [1, 'two', null] } }),
      event('text', { datacontenttype: 'text/plain; charset=utf-8', data: '  plain text\n' }),
      event('json-string', { datacontenttype: 'application/json', data: 'a JSON string' }),
      event('bytes', { datacontenttype: 'application/octet-stream', data_base64: Buffer.from([0, 255, 128, 10]).toString('base64') }),
      event('null-data', { data: null }),
      event('no-data', { dataschema: 'https://example.com/schema' }),
    ];
    const records = await channel.append(sent);
    expect(records.map((record) => record.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    await eventually(() => expect(messages.map((message) => message.event)).toEqual(sent));

    // What other CloudEvents NATS consumers read: ce- headers, percent-encoded, data as the payload.
    const jsm = await nc.jetstreamManager();
    const stream = (await jsm.streams.find(`${subjectPrefix}.${name}`)) as string;
    const stored = await jsm.streams.getMessage(stream, { seq: 1 });
    expect(stored.header.get('ce-id')).toBe('unicode');
    expect(stored.header.get('ce-specversion')).toBe('1.0');
    expect(stored.header.get('ce-subject')).toBe('Euro%20%E2%82%AC%20%F0%9F%98%80%20%22quoted%22%20100%25');
    expect(stored.header.get('ce-comexamplecount')).toBe('42');
    expect(JSON.parse(new TextDecoder().decode(stored.data))).toEqual({ nested: [1, 'two', null] });
    const text = await jsm.streams.getMessage(stream, { seq: 2 });
    expect(text.header.get('ce-datacontenttype')).toBe('text/plain;%20charset=utf-8');
    expect(new TextDecoder().decode(text.data)).toBe('  plain text\n');
  });

  it('reads events published by other CloudEvents NATS producers (binary mode, quoted values)', async () => {
    const name = channelName('foreign');
    const channel = await factory.open(name, {});
    // The group exists before the other producer publishes (a new group starts at the latest event).
    await channel.seek('all', 'latest');
    const messages = received(channel, 'all');
    const foreign = headers();
    foreign.set('ce-specversion', '1.0');
    foreign.set('ce-id', 'foreign-1');
    foreign.set('ce-source', '"/quoted source"');
    foreign.set('ce-type', 'com.example.someevent');
    foreign.set('ce-datacontenttype', 'application/json');
    await (await nc.jetstream()).publish(`${subjectPrefix}.${name}`, JSON.stringify({ hello: 'world' }), { headers: foreign });
    await eventually(() => expect(messages).toHaveLength(1));
    expect(messages[0]?.event).toEqual({ specversion: '1.0', id: 'foreign-1', source: '/quoted source', type: 'com.example.someevent', datacontenttype: 'application/json', data: { hello: 'world' } });
    expect(messages[0]?.offset).toBe(0);
  });

  it('derives distinct, valid stream names from any channel name', async () => {
    // A Kubernetes-style dotted name reads as it is; names that would meet it carry a hash.
    const readable = await factory.open(`ns.orders.v1.${sequence}`, {});
    const underscored = await factory.open(`ns_orders_v1_${sequence}`, {});
    const odd = await factory.open(`ns.orders/v1 ${sequence}`, {});
    await readable.append([event('readable')]);
    await underscored.append([event('underscored')]);
    await odd.append([event('odd')]);
    const jsm = await nc.jetstreamManager();
    const names: string[] = [];
    for await (const stream of jsm.streams.list()) if (stream.config.name.startsWith(streamPrefix)) names.push(stream.config.name);
    expect(names).toContain(`${streamPrefix}_ns_orders_v1_${sequence}`);
    const hashed = names.filter((stream) => new RegExp(`^${streamPrefix}_ns_orders_v1_${sequence}_[0-9a-f]{8}$`).test(stream));
    expect(hashed).toHaveLength(2);
    const first = received(readable, 'g');
    const second = received(underscored, 'g2');
    const third = received(odd, 'g3');
    await readable.seek('g', 'earliest');
    await underscored.seek('g2', 'earliest');
    await odd.seek('g3', 'earliest');
    await eventually(() => expect([first, second, third].map((messages) => messages.map((m) => m.event.id))).toEqual([['readable'], ['underscored'], ['odd']]));
  });

  it('applies per-channel settings to the stream and rejects invalid ones with every problem', async () => {
    const name = channelName('settings');
    const channel = await factory.open(name, { retentionMs: 3_600_000, maxBytes: 1_048_576 });
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info((await jsm.streams.find(`${subjectPrefix}.${name}`)) as string);
    expect(info.config).toMatchObject({ max_age: 3_600_000 * 1_000_000, max_bytes: 1_048_576, storage: 'file', num_replicas: 1 });
    await channel.close();
    await expect(factory.open(channelName('bad'), { retentionMs: -1, replicas: 9 })).rejects.toMatchObject({
      code: 'JUNCTION_CONFIG_INVALID',
      problems: [expect.objectContaining({ path: 'settings.retentionMs' }), expect.objectContaining({ path: 'settings.replicas' })],
    });
    // A single server refuses replicas: the server's reason comes back, as a configuration problem.
    await expect(factory.open(channelName('replicas'), { replicas: 3 })).rejects.toMatchObject({ code: 'JUNCTION_CONFIG_INVALID' });
  });

  it('fails clearly, without credentials, when the server cannot be reached', async () => {
    const unreachable = new NatsChannelFactory({ servers: 'nats://127.0.0.1:1', user: 'junction', pass: 'secret-password', requestTimeoutMs: 1_000 });
    const failure = await unreachable.open('anything', {}).catch((error: Error & { code?: string }) => error);
    expect(failure).toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE' });
    expect((failure as Error).message).toContain('127.0.0.1:1');
    expect((failure as Error).message).not.toContain('secret-password');
    await unreachable.close();
    await expect(unreachable.open('anything', {})).rejects.toMatchObject({ code: 'JUNCTION_SHUTTING_DOWN' });
  });

  it("a closed consumer's last pull request holds nothing back: what it still brings reaches the next consumer at once", async () => {
    const slow = makeFactory({ ackWaitMs: 120_000 });
    try {
      const channel = await slow.open(channelName('linger'), {});
      await channel.seek('g', 'latest');
      // The first consumer's pull request (room for 50) waits on the server when it closes.
      const first: string[] = [];
      const consumer = channel.consume('g', { maxInFlight: 50 }, (message) => first.push(message.event.id));
      await channel.append([event('warm-up')]);
      await eventually(() => expect(first).toEqual(['warm-up']));
      await consumer.close();
      // The server hands these to the oldest waiting request first: the closed consumer's.
      await channel.append(Array.from({ length: 10 }, (_, index) => event(`late-${index}`)));
      const second: ChannelMessage[] = [];
      channel.consume('g', { maxInFlight: 50 }, (message) => {
        second.push(message);
        message.ack();
      });
      await eventually(() => expect(new Set(second.map((message) => message.event.id))).toEqual(new Set(['warm-up', ...Array.from({ length: 10 }, (_, index) => `late-${index}`)])), 5_000);
      await eventually(async () => expect(await channel.backlog('g')).toBe(0), 5_000);
    } finally {
      await slow.close();
    }
  });

  it('keeps a key blocked while its nacked message waits, and never exceeds maxInFlight', async () => {
    const channel = await factory.open(channelName('ordered'), {});
    const order: string[] = [];
    let inFlight = 0;
    let maxSeen = 0;
    channel.consume('ordered', { maxInFlight: 2, orderedByKey: true }, (message) => {
      inFlight += 1;
      maxSeen = Math.max(maxSeen, inFlight);
      order.push(`${message.event.id}#${message.redeliveries}`);
      setTimeout(() => {
        inFlight -= 1;
        if (message.event.id === 'a1' && message.redeliveries === 0) message.nack(200);
        else message.ack();
      }, 5);
    });
    await channel.append([event('a1', { partitionkey: 'a' }), event('a2', { partitionkey: 'a' }), event('b1', { partitionkey: 'b' }), event('b2', { partitionkey: 'b' })]);
    await eventually(() => expect(order).toHaveLength(5));
    // b goes on while a waits; a2 only after a1 was redelivered (and acked).
    expect(order.indexOf('a1#1')).toBeLessThan(order.indexOf('a2#0'));
    expect(order.indexOf('b2#0')).toBeLessThan(order.indexOf('a1#1'));
    expect(maxSeen).toBeLessThanOrEqual(2);
  });

  it('replays on every replica when another one seeks the group, and forgets a deleted group', async () => {
    const name = channelName('remote-seek');
    const other = makeFactory();
    try {
      const [here, there] = [await factory.open(name, {}), await other.open(name, {})];
      await here.append(Array.from({ length: 10 }, (_, index) => event(`s${index}`)));
      await there.seek('group', 'latest');
      const ids: string[] = [];
      there.consume('group', { maxInFlight: 4 }, (message) => {
        ids.push(message.event.id);
        message.ack();
      });
      await here.append([event('s10')]);
      await eventually(() => expect(ids).toEqual(['s10']));
      // A seek from this replica replaces the durable consumer the other one pulls from.
      await here.seek('group', { offset: 8 });
      await eventually(() => expect(ids).toEqual(['s10', 's8', 's9', 's10']));
      await eventually(async () => expect(await here.backlog('group')).toBe(0));

      await there.deleteGroup('group');
      await here.append([event('s11')]);
      await eventually(async () => expect(await here.backlog('group')).toBe(0));
      const jsm = await nc.jetstreamManager();
      const stream = (await jsm.streams.find(`${subjectPrefix}.${name}`)) as string;
      expect((await jsm.consumers.list(stream).next()).map((consumer) => consumer.name)).toEqual([]);
      expect(ids).toEqual(['s10', 's8', 's9', 's10']);
    } finally {
      await other.close();
    }
  });

  it('shares a group between two replicas (two factories) without losing or repeating events', async () => {
    const name = channelName('replicas');
    const other = makeFactory();
    try {
      const [one, two] = [await factory.open(name, {}), await other.open(name, {})];
      await one.seek('shared', 'latest');
      const seen: number[][] = [[], []];
      [one, two].forEach((channel, replica) =>
        channel.consume('shared', { maxInFlight: 8 }, (message) => {
          seen[replica]?.push((message.event.data as { index: number }).index);
          setImmediate(() => message.ack());
        }),
      );
      await one.append(Array.from({ length: 500 }, (_, index) => event(`r${index}`, { data: { index } })));
      await eventually(() => expect((seen[0]?.length ?? 0) + (seen[1]?.length ?? 0)).toBeGreaterThanOrEqual(500));
      // Both replicas see the group at the end of the stream: nothing is left to hand out again.
      await waitForGroupDrained('shared', [one, two]);
      expect((seen[0]?.length ?? 0) + (seen[1]?.length ?? 0)).toBe(500);
      expect(new Set([...(seen[0] ?? []), ...(seen[1] ?? [])]).size).toBe(500);
      expect(seen[0]?.length).toBeGreaterThan(0);
      expect(seen[1]?.length).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });
});
