import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { ResourceStore } from '../../core/resources/index.js';
import { BATCH_MAX_KEYS, SWEEP_BATCH_ROWS, SqliteKeyValueStore, StorageHealth, openDatabase, type SqliteDatabase } from '../../core/storage/index.js';
import { TokenStore } from '../../broker/index.js';

let dir: string;
let file: string;
let time: number;
const now = () => time;
const opened: Array<{ close(): void }> = [];

/** A store on its own connection to the test file, closed after the test. */
function openStore(options: { health?: StorageHealth } = {}): SqliteKeyValueStore {
  const store = new SqliteKeyValueStore(file, { now, ...options });
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'junction-kv-'));
  file = join(dir, 'resources.db');
  time = 1_000_000;
});

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteKeyValueStore', () => {
  it('stores values per bucket and key, replaces them, and deletes one key', () => {
    const kv = openStore();
    kv.set('dedupe/default/github', 'delivery-1', 'seen');
    kv.set('offsets/default/kafka', 'delivery-1', '42');
    expect(kv.get('dedupe/default/github', 'delivery-1')).toBe('seen');
    expect(kv.get('offsets/default/kafka', 'delivery-1')).toBe('42');
    expect(kv.get('dedupe/default/github', 'delivery-2')).toBeUndefined();
    kv.set('offsets/default/kafka', 'delivery-1', '43');
    expect(kv.get('offsets/default/kafka', 'delivery-1')).toBe('43');
    expect(kv.delete('offsets/default/kafka', 'delivery-1')).toBe(true);
    expect(kv.delete('offsets/default/kafka', 'delivery-1')).toBe(false);
    expect(kv.get('offsets/default/kafka', 'delivery-1')).toBeUndefined();
    expect(kv.get('dedupe/default/github', 'delivery-1')).toBe('seen');
  });

  it('hides a key from the moment it expires, and keeps one without a ttl forever', () => {
    const kv = openStore();
    kv.set('b', 'short', 'v', 1000);
    kv.set('b', 'forever', 'v');
    time += 999;
    expect(kv.get('b', 'short')).toBe('v');
    expect(kv.count('b')).toBe(2);
    time += 1;
    expect(kv.get('b', 'short')).toBeUndefined();
    expect(kv.count('b')).toBe(1);
    expect(kv.delete('b', 'short')).toBe(false);
    time += 10 * 365 * 24 * 3600 * 1000;
    expect(kv.get('b', 'forever')).toBe('v');
  });

  it('setIfAbsent: of two writers of one key (two connections to the file), exactly one wins', () => {
    const first = openStore();
    const second = openStore();
    expect(first.setIfAbsent('dedupe', 'delivery-7', 'first', 60_000)).toBe(true);
    expect(second.setIfAbsent('dedupe', 'delivery-7', 'second', 60_000)).toBe(false);
    expect(first.setIfAbsent('dedupe', 'delivery-7', 'again', 60_000)).toBe(false);
    expect(second.get('dedupe', 'delivery-7')).toBe('first');
  });

  it('setIfAbsent writes over an expired key (the dedupe window has passed), not over a live one', () => {
    const kv = openStore();
    expect(kv.setIfAbsent('dedupe', 'id', 'old', 1000)).toBe(true);
    time += 500;
    expect(kv.setIfAbsent('dedupe', 'id', 'new', 1000)).toBe(false);
    time += 500;
    expect(kv.setIfAbsent('dedupe', 'id', 'new', 1000)).toBe(true);
    expect(kv.get('dedupe', 'id')).toBe('new');
    time += 999;
    expect(kv.get('dedupe', 'id')).toBe('new');
    kv.set('dedupe', 'kept', 'v');
    expect(kv.setIfAbsent('dedupe', 'kept', 'other')).toBe(false);
  });

  it('keeps values across a reopen of the file', () => {
    const kv = openStore();
    kv.set('offsets', 'partition-0', '1234');
    kv.set('offsets', 'partition-1', '99', 5000);
    kv.close();
    const reopened = openStore();
    expect(reopened.get('offsets', 'partition-0')).toBe('1234');
    expect(reopened.get('offsets', 'partition-1')).toBe('99');
    time += 5000;
    expect(reopened.get('offsets', 'partition-1')).toBeUndefined();
  });

  it('deleteBucket drops every key of one bucket only and says how many live ones it had', () => {
    const kv = openStore();
    for (let i = 0; i < 5; i += 1) kv.set('dedupe/ns/a', `k${i}`, 'v', i === 0 ? 10 : undefined);
    kv.set('dedupe/ns/b', 'k0', 'v');
    time += 10;
    expect(kv.count('dedupe/ns/a')).toBe(4);
    expect(kv.deleteBucket('dedupe/ns/a')).toBe(4);
    expect(kv.count('dedupe/ns/a')).toBe(0);
    expect(kv.deleteBucket('dedupe/ns/a')).toBe(0);
    expect(kv.count('dedupe/ns/b')).toBe(1);
    expect(kv.get('dedupe/ns/b', 'k0')).toBe('v');
  });

  it('sweep deletes expired rows (more than one batch of them) and nothing live', () => {
    const kv = openStore();
    const expiring = SWEEP_BATCH_ROWS * 2 + 7;
    for (let i = 0; i < expiring; i += 1) kv.set('b', `old-${i}`, 'v', 100);
    kv.set('b', 'later', 'v', 10_000);
    kv.set('b', 'forever', 'v');
    expect(kv.sweep()).toBe(0);
    time += 100;
    expect(kv.sweep()).toBe(expiring);
    expect(kv.sweep()).toBe(0);
    expect(kv.count('b')).toBe(2);
    // Swept rows are gone from the file, not just hidden: a clock turned back does not bring them back.
    time -= 1000;
    expect(kv.count('b')).toBe(2);
  });

  it('startSweeping deletes expired rows in the background, every batch of them', async () => {
    const kv = openStore();
    const rows = openDatabase(file);
    opened.push(rows);
    const stored = () => rows.prepare('SELECT COUNT(*) FROM kv').pluck().get() as number;
    for (let i = 0; i < SWEEP_BATCH_ROWS + 3; i += 1) kv.set('b', `old-${i}`, 'v', 100);
    kv.set('b', 'forever', 'v');
    kv.startSweeping(5);
    time += 100;
    await eventually(() => expect(stored()).toBe(1));
    kv.close();
    expect(stored()).toBe(1);
  });

  it('setBatched: visible at once, committed together a few ms later (another connection sees it then), flushed by close', async () => {
    const writer = openStore();
    const reader = openStore();
    for (let i = 0; i < 3; i++) writer.setBatched('dedupe', `delivery-${i}`, 'seen', 60_000);
    expect(writer.get('dedupe', 'delivery-0')).toBe('seen');
    expect(reader.get('dedupe', 'delivery-0')).toBeUndefined();
    await eventually(() => expect(reader.get('dedupe', 'delivery-2')).toBe('seen'), 2_000);
    // Expiry holds for a key still waiting, and delete/count see waiting keys.
    writer.setBatched('dedupe', 'short', 'x', 10);
    time += 11;
    expect(writer.get('dedupe', 'short')).toBeUndefined();
    writer.setBatched('dedupe', 'gone', 'x');
    expect(writer.delete('dedupe', 'gone')).toBe(true);
    expect(writer.count('dedupe')).toBe(3);
    writer.setBatched('dedupe', 'at-close', 'x');
    writer.close();
    expect(reader.get('dedupe', 'at-close')).toBe('x');
  });

  it('setBatched commits at once when the batch is full', () => {
    const writer = openStore();
    const reader = openStore();
    for (let i = 0; i < BATCH_MAX_KEYS; i++) writer.setBatched('dedupe', `k${i}`, 'v');
    expect(reader.count('dedupe')).toBe(BATCH_MAX_KEYS);
  });

  it('refuses a negative or non-finite ttl', () => {
    const kv = openStore();
    expect(() => kv.set('b', 'k', 'v', -1)).toThrow(RangeError);
    expect(() => kv.setIfAbsent('b', 'k', 'v', Number.NaN)).toThrow(RangeError);
    expect(kv.get('b', 'k')).toBeUndefined();
  });

  it('a write the database refuses is JUNCTION_STORAGE_UNAVAILABLE and marks the file failing until a write succeeds', () => {
    const health = new StorageHealth(dir);
    const kv = openStore({ health });
    kv.set('b', 'k', 'v');
    const saboteur = openDatabase(file);
    opened.push(saboteur);
    saboteur.exec(`CREATE TRIGGER broken_disk BEFORE INSERT ON kv BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    let refused: unknown;
    try {
      kv.setIfAbsent('b', 'other', 'v');
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE' });
    expect(String((refused as Error).message)).not.toContain('disk I/O error');
    expect(health.current()).toEqual([expect.objectContaining({ store: 'resources.db' })]);
    saboteur.exec('DROP TRIGGER broken_disk');
    expect(kv.setIfAbsent('b', 'other', 'v')).toBe(true);
    expect(health.current()).toEqual([]);
  });
});

describe('one database handle shared by the stores of resources.db', () => {
  let db: SqliteDatabase;
  beforeEach(() => {
    db = openDatabase(file);
  });
  afterEach(() => {
    if (db.open) db.close();
  });

  it('opens the file owner-only, in WAL mode with synchronous FULL', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('commits batched keys without waiting for the disk, and leaves the shared handle at synchronous FULL for everything else', () => {
    const kv = new SqliteKeyValueStore(db);
    kv.setBatched('dedupe', 'k', 'v');
    kv.flush();
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.prepare("SELECT value FROM kv WHERE bucket = 'dedupe' AND key = 'k'").pluck().get()).toBe('v');
    kv.close();
  });

  it('serves resources, tokens and keys on the one handle; closing the stores leaves it open', () => {
    const resources = new ResourceStore(db);
    const tokens = new TokenStore(db);
    const kv = new SqliteKeyValueStore(db, { now });
    const key = { group: '', kind: 'ConfigMap', namespace: 'default', name: 'settings' };
    resources.create(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' } });
    const { token } = tokens.create('default', 'ingest');
    kv.set('b', 'k', 'v');
    kv.close();
    resources.close();
    tokens.close();
    expect(db.open).toBe(true);
    // Everything was written to the one file: a store opened later by path sees it all.
    db.close();
    const again = { resources: new ResourceStore(file), tokens: new TokenStore(file), kv: new SqliteKeyValueStore(file, { now }) };
    try {
      expect(again.resources.get(key)?.metadata.name).toBe('settings');
      expect(again.tokens.verify(token)?.namespace).toBe('default');
      expect(again.kv.get('b', 'k')).toBe('v');
    } finally {
      again.kv.close();
      again.resources.close();
      again.tokens.close();
    }
  });

  it('a store given a path closes the file it opened', () => {
    const kv = new SqliteKeyValueStore(file);
    kv.close();
    expect(() => kv.get('b', 'k')).toThrow(/not open/);
  });
});
