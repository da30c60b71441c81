import { execFileSync } from 'node:child_process';
import { get, type IncomingMessage } from 'node:http';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForTriggerDrained } from '../support/drained.js';
import { eventually } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, structuredEvent, type TestJunction } from '../support/junction.js';

// Issue #13 ("Broker hardening"): control API writes on a full disk answered 500 JUNCTION_INTERNAL.
// A real full disk: the data dir is on a small tmpfs, filled up to the last byte.

const MOUNT_SIZE = '16m';

/** Mounts a tmpfs of MOUNT_SIZE at a new dir; throws, saying why, when this machine does not allow it. */
function mountTmpfs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-disk-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${MOUNT_SIZE},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new Error(`the disk-full test needs a small tmpfs and cannot mount one (it must run as root or with CAP_SYS_ADMIN): ${stderr || (error as Error).message}`);
  }
  return dir;
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' }); // still busy: detach it now, freed when released
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Writes `file` until the filesystem has no byte left (ENOSPC at every size down to one byte). */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [1024 * 1024, 64 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x61);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** A watch stream of the control API: the events it sent so far, and how to hang up. */
async function watchLines(url: string) {
  const lines: Array<{ type: string; object: { metadata: { name: string; resourceVersion: string } } }> = [];
  const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));
  let partial = '';
  response.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) if (line) lines.push(JSON.parse(line));
  });
  return { lines, close: () => response.destroy() };
}

async function readyz(junction: TestJunction) {
  const answer = await request(`${junction.url}/readyz`);
  return { status: answer.statusCode, type: String(answer.headers['content-type']), json: (await answer.body.json()) as any };
}

/** A ConfigMap larger than anything SQLite could still fit in the pages its files already have. */
function bigConfigMap(name: string) {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { blob: 'x'.repeat(1024 * 1024) } });
}

describe('a full disk under the data dir', () => {
  let mount: string | undefined;
  let junction: TestJunction | undefined;
  let subscriber: HttpSubscriber | undefined;
  beforeAll(async () => {
    mount = mountTmpfs();
    try {
      junction = await startTestJunction({}, join(mount, 'data'));
      subscriber = await startHttpSubscriber();
      for (const resource of brokerWithTrigger({ subscriberUrl: subscriber.url })) await junction.apply(resource);
      await junction.waitReady('triggers', 'default', 'trigger');
    } catch (error) {
      await junction?.stop(true);
      unmount(mount);
      mount = undefined;
      throw error;
    }
  });
  afterAll(async () => {
    try {
      // Bounded, so that the tmpfs is unmounted even if a stop hangs.
      await Promise.race([junction?.stop(true), new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
      await subscriber?.close();
    } finally {
      if (mount) unmount(mount);
    }
  }, 60_000);

  it('refuses control API and ingress writes with 503 JUNCTION_STORAGE_UNAVAILABLE, reports it on /readyz, and recovers once there is room', async () => {
    const running = junction!;
    const configMaps = '/api/v1/namespaces/default/configmaps';
    expect((await readyz(running)).status).toBe(200);
    const watch = await watchLines(`${running.url}${configMaps}?watch=true`);
    const filler = join(mount!, 'filler');
    fillDisk(filler);
    try {
      const refused = await running.call('PUT', `${configMaps}/lost`, bigConfigMap('lost'), { 'content-type': 'application/json' });
      expect(refused.status).toBe(503);
      expect(refused.json).toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE', status: 503 });
      expect(JSON.stringify(refused.json)).not.toMatch(/disk is full|SQLITE|\/tmp/);
      expect((await running.call('GET', `${configMaps}/lost`)).status).toBe(404);

      const notReady = await readyz(running);
      expect(notReady.status).toBe(503);
      expect(notReady.type).toMatch(/^application\/problem\+json/);
      expect(notReady.json).toMatchObject({ code: 'JUNCTION_STORAGE_UNAVAILABLE' });
      expect(notReady.json.storage).toContainEqual(expect.objectContaining({ store: 'resources.db', reason: 'SQLITE_FULL' }));

      const event = structuredEvent({ id: 'lost-event', data: 'x'.repeat(900 * 1024) });
      const ingress = await running.post('/default/default', event, { 'content-type': 'application/cloudevents+json' });
      expect(ingress.status).toBe(503);
      expect(ingress.json.code).toBe('JUNCTION_STORAGE_UNAVAILABLE');
      expect((await readyz(running)).json.storage).toContainEqual(expect.objectContaining({ store: 'channels.db', reason: 'SQLITE_FULL' }));
    } finally {
      unlinkSync(filler);
    }

    // Room again: ready without waiting for a write (a node out of rotation gets none), and writes work.
    await eventually(async () => expect((await readyz(running)).status).toBe(200));
    const created = await running.call('PUT', `${configMaps}/kept`, bigConfigMap('kept'), { 'content-type': 'application/json' });
    expect(created.status).toBe(201);
    const accepted = await running.post('/default/default', structuredEvent({ id: 'kept-event' }), { 'content-type': 'application/cloudevents+json' });
    expect(accepted.status).toBe(202);

    // Watchers saw the stored ConfigMap and nothing of the refused one: it comes first in the stream if it was announced.
    await eventually(() => expect(watch.lines.map((event) => event.object.metadata.name)).toContain('kept'));
    expect(watch.lines.map((event) => [event.type, event.object.metadata.name])).toEqual([['ADDED', 'kept']]);
    expect(watch.lines[0]?.object.metadata.resourceVersion).toBe(created.json.metadata.resourceVersion);
    watch.close();

    // The refused event was never stored: once the one sent after it is delivered and nothing is in flight, it would have been too.
    await subscriber!.waitForRequests(1);
    await waitForTriggerDrained(running, 'default', 'trigger');
    expect(subscriber!.requests.map((r) => r.headers['ce-id'])).toEqual(['kept-event']);
  });
});
