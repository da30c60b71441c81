import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hasLogAccess, SqliteChannelFactory, type Channel, type ChannelRecord, type LogAccess, type SqliteChannelOptions } from '../../channels/index.js';
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { eventually } from '../support/eventually.js';

const directory = mkdtempSync(join(tmpdir(), 'junction-sqlite-unit-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const factories: SqliteChannelFactory[] = [];
afterEach(async () => {
  await Promise.all(factories.splice(0).map((factory) => factory.close()));
});

let files = 0;
function freshPath(): string {
  files += 1;
  return join(directory, `channels-${files}.db`);
}

function event(index: number, extra: Record<string, unknown> = {}): CloudEvent {
  return { specversion: '1.0', id: `e-${index}`, source: '/unit', type: 'unit.test', data: { index, padding: 'x'.repeat(100) }, ...extra };
}

async function openLog(options: SqliteChannelOptions, name = 'orders', settings: Record<string, unknown> = {}): Promise<Channel & LogAccess> {
  const factory = new SqliteChannelFactory(options);
  factories.push(factory);
  const channel = await factory.open(name, settings);
  if (!hasLogAccess(channel)) throw new Error('sqlite channels must offer LogAccess');
  return channel;
}

describe('sqlite channel', () => {
  it('group-commits concurrent appends: one durable batch, dense offsets, every caller resolved', async () => {
    const log = await openLog({ path: freshPath() });
    const batches: ChannelRecord[][] = [];
    log.onAppend((records) => batches.push(records));
    const results = await Promise.all(Array.from({ length: 64 }, (_, index) => log.append([event(index)])));
    expect(results.map((records) => records[0]?.offset)).toEqual(Array.from({ length: 64 }, (_, index) => index));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(64);
  });

  it('rejects every caller of a failed commit with JUNCTION_STORAGE_UNAVAILABLE and stores nothing of the batch', async () => {
    const path = freshPath();
    const log = await openLog({ path });
    await log.append([event(0)]);
    // Another connection makes the next insert of a "poison" event fail inside the commit.
    const saboteur = new Database(path);
    saboteur.exec(`CREATE TRIGGER poison BEFORE INSERT ON records WHEN NEW.event LIKE '%"poison"%' BEGIN SELECT RAISE(ABORT, 'disk said no'); END`);
    const received: number[] = [];
    const consumer = log.consume('watch', { maxInFlight: 100 }, (message) => {
      received.push(message.offset);
      message.ack();
    });
    const outcomes = await Promise.allSettled([log.append([event(1)]), log.append([event(2, { poison: true })]), log.append([event(3)])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const outcome of outcomes) expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE' });
    expect(log.head()).toBe(1);
    expect(saboteur.prepare('SELECT COUNT(*) AS count FROM records').get()).toEqual({ count: 1 });
    saboteur.exec('DROP TRIGGER poison');
    saboteur.close();
    // The log carries on with the next offset, and the failed events were never delivered: the group
    // reads in log order, so once event 4 arrived anything before it would have too.
    expect((await log.append([event(4)]))[0]?.offset).toBe(1);
    await eventually(() => received.length > 0);
    expect(received).toEqual([1]);
    await consumer.close();
  });

  it('pipelines commits: a batch sent while another is being written lands after it with the next offsets', async () => {
    const log = await openLog({ path: freshPath() });
    const first = log.append([event(0), event(1)]);
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is now with the writer
    const second = log.append([event(2)]);
    await new Promise((resolve) => setImmediate(resolve));
    const third = log.append([event(3)]); // waits behind the two in flight
    const offsets = (await Promise.all([first, second, third])).flat().map((record) => record.offset);
    expect(offsets).toEqual([0, 1, 2, 3]);
    expect(log.read(0, 10).map((record) => record.event.id)).toEqual(['e-0', 'e-1', 'e-2', 'e-3']);
  });

  it('fails the batches sent behind a failed commit too, so the log never has a gap', async () => {
    const path = freshPath();
    const log = await openLog({ path });
    await log.append([event(0)]);
    const saboteur = new Database(path);
    saboteur.exec(`CREATE TRIGGER poison BEFORE INSERT ON records WHEN NEW.event LIKE '%"poison"%' BEGIN SELECT RAISE(ABORT, 'disk said no'); END`);
    const poisoned = log.append([event(1, { poison: true })]);
    await new Promise((resolve) => setImmediate(resolve));
    // Usually numbered 2 and sent while offset 1 is being written (then it must fail with it); on a
    // slow machine the failure may be known first, and it is numbered 1 and stored.
    const behind = log.append([event(2)]);
    const [poisonedOutcome, behindOutcome] = await Promise.allSettled([poisoned, behind]);
    expect(poisonedOutcome.status).toBe('rejected');
    saboteur.exec('DROP TRIGGER poison');
    saboteur.close();
    const next = (await log.append([event(3)]))[0]?.offset;
    const expected = behindOutcome.status === 'fulfilled' ? [[0, 'e-0'], [1, 'e-2'], [2, 'e-3']] : [[0, 'e-0'], [1, 'e-3']];
    expect(next).toBe(expected.length - 1);
    expect(log.read(0, 10).map((record) => [record.offset, record.event.id])).toEqual(expected);
    const reopened = new Database(path, { readonly: true });
    expect(reopened.prepare('SELECT "offset" AS offset FROM records ORDER BY "offset"').all()).toEqual(expected.map(([offset]) => ({ offset })));
    reopened.close();
  });

  it('keeps offsets, records and cursors across a restart, reading old records from SQL', async () => {
    const path = freshPath();
    const first = await openLog({ path, cacheRecords: 2 });
    await first.append(Array.from({ length: 5 }, (_, index) => event(index, { partitionkey: `k${index}` })));
    first.saveCursors(new Map([['trigger:abc', 3]]));
    await factories[0]?.close();

    const second = await openLog({ path, cacheRecords: 2 });
    expect([second.tail(), second.head(), second.cursor('trigger:abc')]).toEqual([0, 5, 3]);
    const old = second.read(1, 2);
    expect(old.map((record) => [record.offset, record.key, record.event.id])).toEqual([[1, 'k1', 'e-1'], [2, 'k2', 'e-2']]);
    expect((await second.append([event(5)]))[0]?.offset).toBe(5);
    expect(second.read(4, 10).map((record) => record.event.id)).toEqual(['e-4', 'e-5']);
  });

  it('stores events with multi-byte text exactly, beside ASCII ones in the same commit', async () => {
    const path = freshPath();
    const first = await openLog({ path, cacheRecords: 1 });
    const events = [event(0), event(1, { subject: 'café – 注文 🚚' }), event(2, { data: { note: 'ü'.repeat(300), emoji: '🎉🎉' } }), event(3)];
    await Promise.all(events.map((one) => first.append([one])));
    await factories[0]?.close();

    const second = await openLog({ path, cacheRecords: 1 });
    expect(second.read(0, 10).map((record) => record.event)).toEqual(events);
  });

  it('finds offsets by append time through the index', async () => {
    const log = await openLog({ path: freshPath() });
    await log.append([event(0), event(1)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [later] = await log.append([event(2)]);
    expect(log.offsetAt(0)).toBe(0);
    expect(log.offsetAt(later?.appendedAt as number)).toBe(2);
    expect(log.offsetAt(Date.now() + 60_000)).toBe(3);
  });

  it('deletes expired records on its timer, and offsets never restart after a channel empties', async () => {
    const path = freshPath();
    const log = await openLog({ path, retentionMs: 40, retentionCheckMs: 20 });
    await log.append(Array.from({ length: 1500 }, (_, index) => event(index)));
    const deadline = Date.now() + 5000;
    while (log.tail() < 1500 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect([log.tail(), log.head(), log.read(0, 10)]).toEqual([1500, 1500, []]);
    await factories[0]?.close();
    const reopened = await openLog({ path });
    expect([reopened.tail(), reopened.head()]).toEqual([1500, 1500]);
    expect((await reopened.append([event(0)]))[0]?.offset).toBe(1500);
  });

  it('uses WAL, drops a channel for good, and checkpoints the WAL away on close', async () => {
    const path = freshPath();
    const factory = new SqliteChannelFactory({ path, durability: 'normal' });
    const channel = await factory.open('temporary', {});
    await channel.append([event(0)]);
    const peek = new Database(path, { readonly: true });
    expect(peek.pragma('journal_mode', { simple: true })).toBe('wal');
    peek.close();
    await factory.drop('temporary');
    const reopened = await factory.open('temporary', {});
    expect((await reopened.append([event(1)]))[0]?.offset).toBe(0);
    await factory.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    await expect(factory.drop('temporary')).rejects.toMatchObject({ code: 'JUNCTION_SHUTTING_DOWN' });
  });

  it('reports an unusable database path as JUNCTION_STORAGE_UNAVAILABLE, and bad settings as JUNCTION_CONFIG_INVALID', async () => {
    const factory = new SqliteChannelFactory({ path: join(directory, 'missing-dir', 'x', 'channels.db') });
    factories.push(factory);
    await expect(factory.open('any', {})).rejects.toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE' });
    const good = new SqliteChannelFactory({ path: freshPath() });
    factories.push(good);
    await expect(good.open('any', { retentionMs: 'forever' })).rejects.toMatchObject({ code: 'JUNCTION_CONFIG_INVALID' });
  });

  it('keeps the process alive while a commit is in flight: a script that only awaits an append sees it land', async () => {
    const script = join(directory, 'append-only.ts');
    const entry = fileURLToPath(new URL('../../channels/index.ts', import.meta.url));
    writeFileSync(
      script,
      `import { SqliteChannelFactory } from ${JSON.stringify(entry)};
const channel = await new SqliteChannelFactory({ path: process.argv[2] }).open('c', {});
const records = await channel.append([{ specversion: '1.0', id: '1', source: '/s', type: 't' }]);
console.log('landed at', records[0].offset);
`,
    );
    const viteNode = fileURLToPath(new URL('../../node_modules/.bin/vite-node', import.meta.url));
    const { stdout } = await promisify(execFile)(viteNode, [script, freshPath()], { timeout: 20_000 });
    expect(stdout.trim()).toBe('landed at 0');
  });

  it('lets the process exit after close, even with consumers and delayed redeliveries pending', async () => {
    const script = join(directory, 'exit-check.ts');
    const entry = fileURLToPath(new URL('../../channels/index.ts', import.meta.url));
    writeFileSync(
      script,
      `import { SqliteChannelFactory, MemoryChannelFactory } from ${JSON.stringify(entry)};
for (const factory of [new SqliteChannelFactory({ path: process.argv[2] }), new MemoryChannelFactory()]) {
  const channel = await factory.open('c', {});
  let got = 0;
  channel.consume('g', { maxInFlight: 4 }, (message) => { got += 1; message.nack(600_000); });
  await channel.append([{ specversion: '1.0', id: '1', source: '/s', type: 't' }]);
  while (got === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await factory.close();
}
console.log('closed');
`,
    );
    const viteNode = fileURLToPath(new URL('../../node_modules/.bin/vite-node', import.meta.url));
    const { stdout } = await promisify(execFile)(viteNode, [script, freshPath()], { timeout: 20_000 });
    expect(stdout.trim()).toBe('closed');
  });
});
