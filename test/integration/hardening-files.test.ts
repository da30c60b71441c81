import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startHttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, structuredEvent } from '../support/junction.js';

// Issue #13 ("Broker hardening"): the data dir holds Secrets (base64, in resources.db and its WAL)
// and every event; no other local user may read any of it, whatever umask Junction runs with.

/** Every dir and file under `root` (itself included) with its permission bits, as `path: mode` in octal. */
function modesUnder(root: string): Record<string, string> {
  const modes: Record<string, string> = { '.': (statSync(root).mode & 0o777).toString(8) };
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) modes[entry] = (statSync(join(root, entry)).mode & 0o777).toString(8);
  return modes;
}

/** A logger whose warnings a test can read. */
function capturedLogger() {
  const lines: Array<{ level: number; msg: string; [key: string]: unknown }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'warn', base: undefined }, stream), lines };
}

describe('files in the data dir', () => {
  let parent: string;
  let umask: number;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'junction-files-'));
    umask = process.umask(0o000); // the most permissive umask: nothing may depend on it
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(parent, { recursive: true, force: true });
  });

  it('creates the data dir 0700 and every file in it 0600, the WAL and SHM files of the first writes and admin.token included', async () => {
    const dataDir = join(parent, 'data', 'junction');
    const subscriber = await startHttpSubscriber();
    const junction = await startTestJunction({ 'auth.mode': 'on' }, dataDir);
    try {
      const token = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
      await junction.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, data: { password: Buffer.from('hunter2').toString('base64') } } as never, token);
      for (const resource of brokerWithTrigger({ subscriberUrl: subscriber.url })) await junction.apply(resource, token);
      await eventually(async () => {
        const trigger = await junction.call('GET', '/apis/eventing.knative.dev/v1/namespaces/default/triggers/trigger', undefined, { authorization: `Bearer ${token}` });
        expect(trigger.json?.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
      });
      const sent = await junction.post('/default/default', structuredEvent({ id: 'e-1' }), { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${token}` });
      expect(sent.status).toBe(202);
      await subscriber.waitForRequests(1);

      const modes = modesUnder(dataDir);
      for (const file of ['resources.db', 'resources.db-wal', 'resources.db-shm', 'channels.db', 'channels.db-wal', 'channels.db-shm', 'admin.token']) expect(modes).toHaveProperty([file]);
      const expected = Object.fromEntries(Object.keys(modes).map((path) => [path, statSync(join(dataDir, path)).isDirectory() ? '700' : '600']));
      expect(modes).toEqual(expected);
      expect(modesUnder(join(parent, 'data'))['.']).toBe('700');
    } finally {
      await junction.stop(true);
      await subscriber.close();
    }
  });

  it('tightens files an earlier run left readable, and warns at start that an existing data dir is readable by others', async () => {
    const dataDir = join(parent, 'old');
    const first = await startTestJunction({}, dataDir);
    await first.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, data: { password: 'aHVudGVyMg==' } } as never);
    await first.stop(true);
    // As an earlier version left them: the dir 0755, the databases 0644.
    chmodSync(dataDir, 0o755);
    for (const file of readdirSync(dataDir)) chmodSync(join(dataDir, file), 0o644);

    const { logger, lines } = capturedLogger();
    const second = await startTestJunction({}, dataDir, undefined, { logger });
    try {
      await second.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after', namespace: 'default' }, data: { k: 'v' } } as never);
      const warning = lines.find((line) => line.level === 40 && /data dir can be read by other local users/.test(line.msg));
      expect(warning, JSON.stringify(lines)).toMatchObject({ dataDir, mode: '755' });
      expect(warning?.msg).toContain(`chmod 700 ${dataDir}`);
      const { '.': dirMode, ...files } = modesUnder(dataDir);
      expect(dirMode).toBe('755'); // the operator's choice: warned about, not changed
      expect(Object.keys(files)).toEqual(expect.arrayContaining(['resources.db', 'resources.db-wal']));
      expect(Object.values(files).every((mode) => mode === '600'), JSON.stringify(files)).toBe(true);
    } finally {
      await second.stop(true);
    }
  });
});
