import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelMessage } from '../../channels/index.js';
import { RabbitMqChannelFactory } from '../../channels/rabbitmq/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { closeConnectionsNamed, deleteWithPrefix, exchangesWithPrefix, queuesWithPrefix, uniquePrefix } from '../support/rabbitmq-server.js';
import { waitForGroupDrained } from '../support/drained.js';
import { eventually as waitUntil } from '../support/eventually.js';

const prefix = uniquePrefix('faults');
// A user of its own, so the test can check that its password never shows up in logs or errors.
const username = `junction-faults-${process.pid}`;
const password = randomBytes(12).toString('hex');
const url = `amqp://${username}:${password}@127.0.0.1:5672`;
const logLines: string[] = [];
const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _encoding, done) => void (logLines.push(chunk.toString('utf8')), done()) }));

function rabbitmqctl(...args: string[]): void {
  execFileSync('rabbitmqctl', [...args, '-q'], { stdio: 'ignore', timeout: 60_000 });
}

function event(id: string): CloudEvent {
  return { specversion: '1.0', id, source: '/faults', type: 'dev.junction.faults', data: { id } };
}

const eventually = (check: () => unknown | Promise<unknown>, timeoutMs = 20_000): Promise<void> => waitUntil(check, timeoutMs, 20);

/** Appends one event at a time until stopped, remembering which appends were acknowledged and which refused. */
function produce(channel: Channel) {
  const acknowledged: string[] = [];
  const refused: unknown[] = [];
  let running = true;
  let next = 0;
  const done = (async () => {
    while (running) {
      const id = `event-${next++}`;
      try {
        await channel.append([event(id)]);
        acknowledged.push(id);
      } catch (error) {
        refused.push(error);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  })();
  return { acknowledged, refused, stop: () => ((running = false), done) };
}

function factory(connectionName: string): RabbitMqChannelFactory {
  return new RabbitMqChannelFactory({ url, prefix, connectionName, reconnectDelayMs: 50, reconnectMaxDelayMs: 500, logger });
}

describe('rabbitmq channel when the server drops its connection', () => {
  beforeAll(() => {
    rabbitmqctl('add_user', username, password);
    rabbitmqctl('set_permissions', '-p', '/', username, '.*', '.*', '.*');
  });
  afterAll(async () => {
    const leftovers = [...queuesWithPrefix(prefix), ...exchangesWithPrefix(prefix)];
    await deleteWithPrefix(prefix);
    rabbitmqctl('delete_user', username);
    expect(leftovers).toEqual([]);
  });

  it('loses no acknowledged event, refuses appends only while disconnected, and resumes consuming by itself', async () => {
    const name = `${prefix}-single`;
    const engine = factory(name);
    const channel = await engine.open('single', {});
    const received = new Set<string>();
    const consumer = channel.consume('dispatcher', { maxInFlight: 32 }, (message: ChannelMessage) => {
      received.add(message.event.id);
      message.ack();
    });
    const producer = produce(channel);

    for (let drop = 1; drop <= 2; drop += 1) {
      const before = producer.acknowledged.length;
      await eventually(() => expect(producer.acknowledged.length).toBeGreaterThanOrEqual(before + 200));
      expect(closeConnectionsNamed(name)).toBe(1);
      await eventually(() => expect(producer.refused.length).toBeGreaterThanOrEqual(drop));
    }
    // Appends succeed again and consumption goes on without anyone calling anything.
    const afterDrops = producer.acknowledged.length;
    await eventually(() => expect(producer.acknowledged.length).toBeGreaterThanOrEqual(afterDrops + 200));
    await producer.stop();

    await eventually(() => expect(producer.acknowledged.filter((id) => !received.has(id))).toEqual([]));
    for (const error of producer.refused) expect(error).toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE', message: expect.stringContaining('RabbitMQ at 127.0.0.1:5672') });
    expect(JSON.stringify(producer.refused.map((error) => (error as Error).message))).not.toContain(password);
    await eventually(async () => expect(await channel.backlog('dispatcher')).toBe(0));

    await consumer.close();
    await engine.drop('single');
    await engine.close();
    expect(logLines.some((line) => line.includes('reconnecting'))).toBe(true);
    expect(logLines.join('')).not.toContain(password);
  });

  it('reads a group in one process at a time and moves it to a standby process when the active one loses its connection', async () => {
    const names = [`${prefix}-first`, `${prefix}-second`];
    const engines = names.map(factory);
    const channels = await Promise.all(engines.map((engine) => engine.open('shared', {})));
    const received: string[][] = [[], []];
    const consume = (index: number) =>
      channels[index]?.consume('dispatcher', { maxInFlight: 16 }, (message) => {
        received[index]?.push(message.event.id);
        message.ack();
      });
    const batch = (label: string) => Array.from({ length: 100 }, (_, index) => event(`${label}-${index}`));
    const ids = (events: CloudEvent[]) => events.map((item) => item.id).sort();

    const consumers = [consume(0)];
    const first = batch('first');
    await channels[0]?.append(first);
    await eventually(() => expect([...(received[0] ?? [])].sort()).toEqual(ids(first)));
    // A second process joins the group: it waits while the first one reads it (no duplicates).
    consumers.push(consume(1));
    const second = batch('second');
    await channels[1]?.append(second);
    await eventually(() => expect(received[0]?.length).toBe(200));
    // The group is at the end of the log for both processes: nothing is left that the standby could get.
    await waitForGroupDrained('dispatcher', channels);
    expect([...(received[0] ?? [])].sort()).toEqual(ids([...first, ...second]));
    expect(received[1]).toEqual([]);

    // The active process loses its connection: the standby takes the group over, nothing is lost.
    expect(closeConnectionsNamed(names[0] as string)).toBe(1);
    const third = batch('third');
    await channels[1]?.append(third);
    await eventually(() => expect(third.filter((item) => !received.flat().includes(item.id))).toEqual([]));
    expect(received[1]?.length).toBeGreaterThan(0);

    await Promise.all(consumers.map((consumer) => consumer?.close()));
    await Promise.all(channels.map((channel) => channel.close()));
    await engines[0]?.drop('shared');
    await Promise.all(engines.map((engine) => engine.close()));
  });
});
