import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, structuredEvent } from '../support/junction.js';
import { firstLine, listeningUrl, spawnStart, stopWith, type StartProcess } from '../support/start-process.js';
import { runCliOk, waitAllReady } from './cli-harness.js';

// shutdown.drainTimeout (10 s by default) plus room for a loaded machine.
const EXIT_WITHIN_MS = 20_000;

const started: StartProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const { child } of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-lost-output-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function subscriberFor(plan: Parameters<typeof startHttpSubscriber>[0]): Promise<HttpSubscriber> {
  const subscriber = await startHttpSubscriber(plan);
  cleanups.push(() => subscriber.close());
  return subscriber;
}

/** Applies Broker `default` and, unless `brokerOnly`, Trigger `trigger` to `subscriber`; waits until the last one is Ready. */
async function applyResources(url: string, subscriber: HttpSubscriber, options: { delivery?: Record<string, unknown>; brokerOnly?: boolean } = {}): Promise<void> {
  const [broker, trigger] = brokerWithTrigger({ subscriberUrl: subscriber.url, delivery: options.delivery });
  const documents = options.brokerOnly ? [broker] : [broker, trigger];
  await runCliOk(['apply', '-f', '-'], { server: url, input: documents.map((doc) => stringify(doc)).join('---\n') });
  await waitAllReady(options.brokerOnly ? 'brokers' : 'triggers', [options.brokerOnly ? 'default' : 'trigger'], { server: url });
}

async function postEvent(url: string, id: string): Promise<number> {
  const response = await request(`${url}/default/default`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: structuredEvent({ id }) });
  await response.body.dump();
  return response.statusCode;
}

async function healthz(url: string): Promise<number> {
  const response = await request(`${url}/healthz`);
  await response.body.dump();
  return response.statusCode;
}

/** The URL of the process's "Junction listening on" line (its first line on stdout). */
async function urlFromFirstLine(junction: StartProcess): Promise<string> {
  const line = await firstLine(junction.child.stdout!);
  const match = /^Junction listening on (\S+)$/.exec(line);
  if (!match) throw new Error(`unexpected first line on stdout: ${line}`);
  return match[1];
}

/** Starts Junction on `dataDir` and, once it said where it listens, destroys the parent's ends of its stdout and stderr, as when the parent dies. */
async function startOrphaned(dataDir: string): Promise<{ junction: StartProcess; url: string }> {
  const junction = spawnStart(dataDir, { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(junction);
  const url = await urlFromFirstLine(junction);
  junction.child.stdout!.destroy();
  junction.child.stderr!.destroy();
  return { junction, url };
}

const deliveredIds = (subscriber: HttpSubscriber) => subscriber.requests.map((r) => String(r.headers['ce-id']));

describe('junction start whose stdout/stderr reader is gone', () => {
  it('keeps serving when one pipe carries both streams and its reader left after the first line (2>&1 | head -1), then exits 0 on SIGTERM', async () => {
    // Like `{ echo starting junction; junction start; } 2>&1 | head -1`: head leaves after the
    // banner, so every line Junction writes (its "listening on" line, every log) meets a closed pipe.
    const junction = spawnStart(scratchDir(), { stdio: ['ignore', 'pipe', 'ignore'], shell: 'exec 2>&1; echo "starting junction"; exec "$@"' });
    started.push(junction);
    expect(await firstLine(junction.child.stdout!)).toBe('starting junction');
    junction.child.stdout!.destroy();

    const url = await listeningUrl(junction);
    const subscriber = await subscriberFor((request) => ({ status: request.headers['ce-id'] === 'doomed' ? 500 : 202 }));
    await applyResources(url, subscriber, { delivery: { retry: 0 } });

    // An event given up on is logged (level error): Junction writes more into the closed pipe.
    expect(await postEvent(url, 'doomed')).toBe(202);
    await eventually(async () => {
      const metrics = await request(`${url}/metrics`).then((r) => r.body.text());
      expect(metrics).toMatch(/junction_events_failed_total\{[^}]*trigger="trigger"[^}]*\} 1/);
    });

    expect(await healthz(url)).toBe(200);
    expect(await postEvent(url, 'after-logging')).toBe(202);
    await eventually(() => expect(deliveredIds(subscriber)).toContain('after-logging'));
    expect(junction.child.exitCode).toBeNull();

    expect(await stopWith(junction, 'SIGTERM', EXIT_WITHIN_MS)).toBe(0);
  }, 60_000);

  it("keeps serving after the parent's ends of stdout and stderr are destroyed, drains on SIGTERM, and the accepted events are still in the log after restart", async () => {
    const dataDir = scratchDir();
    const subscriber = await subscriberFor((request) => ({ status: 202, delayMs: request.headers['ce-id'] === 'in-flight' ? 1_500 : 0 }));

    // First life: the parent dies while Junction is idle; SIGTERM's log lines are the first into the dead pipes.
    const idle = await startOrphaned(dataDir);
    expect(await healthz(idle.url)).toBe(200);
    await applyResources(idle.url, subscriber, { brokerOnly: true });
    expect(idle.junction.child.exitCode).toBeNull();
    expect(await stopWith(idle.junction, 'SIGTERM', EXIT_WITHIN_MS)).toBe(0);

    // Second life on the same data dir, orphaned again: it delivers, and SIGTERM waits for the delivery in flight.
    const busy = await startOrphaned(dataDir);
    expect(await healthz(busy.url)).toBe(200);
    await applyResources(busy.url, subscriber);
    expect(await postEvent(busy.url, 'delivered')).toBe(202);
    await eventually(() => expect(deliveredIds(subscriber)).toEqual(['delivered']));
    expect(await postEvent(busy.url, 'in-flight')).toBe(202);
    await subscriber.waitForRequests(2);
    expect(busy.junction.child.exitCode).toBeNull();
    expect(await stopWith(busy.junction, 'SIGTERM', EXIT_WITHIN_MS)).toBe(0);

    // Third life: the drained delivery is not repeated, and both accepted events are still in the
    // trigger's log (replayed from offset 0).
    const again = spawnStart(dataDir, { stdio: ['ignore', 'pipe', 'ignore'] });
    started.push(again);
    const url = await urlFromFirstLine(again);
    await waitAllReady('triggers', ['trigger'], { server: url });
    await runCliOk(['replay', '--trigger', 'trigger', '--from', '0'], { server: url });
    await eventually(() => expect(deliveredIds(subscriber)).toEqual(['delivered', 'in-flight', 'delivered', 'in-flight']));
    expect(await stopWith(again, 'SIGINT', EXIT_WITHIN_MS)).toBe(0);
  }, 90_000);
});
