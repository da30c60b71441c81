import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startJunctionProcess, type JunctionProcess } from '../../bench/support/junction-process.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';

const TRIGGER = '/apis/eventing.knative.dev/v1/namespaces/default/triggers/t';

describe('durability of accepted events across kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-kill-'));
  let subscriber: HttpSubscriber;
  let junction: JunctionProcess | undefined;
  afterAll(async () => {
    junction?.child.kill('SIGKILL');
    await subscriber?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every event answered 202 after the process is killed mid-stream and restarted', async () => {
    // The subscriber is down (503) during the first run, so accepted events pile up undelivered.
    subscriber = await startHttpSubscriber([{ status: 503 }]);
    let started = await startJunctionProcess({ dataDir });
    junction = started;
    await started.put('/apis/eventing.knative.dev/v1/namespaces/default/brokers/default', { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default' } });
    await started.put(TRIGGER, {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name: 't' },
      spec: { broker: 'default', subscriber: { uri: subscriber.url }, delivery: { retry: 1000, backoffPolicy: 'linear', backoffDelay: 'PT0.05S' } },
    });
    await started.waitReady(TRIGGER);

    const accepted = new Set<string>();
    let stop = false;
    const producers = Array.from({ length: 8 }, async (_, p) => {
      for (let i = 0; !stop; i++) {
        const id = `p${p}-${i}`;
        try {
          const response = await request(`${started.url}/default/default`, {
            method: 'POST',
            headers: { 'content-type': 'application/cloudevents+json' },
            body: JSON.stringify({ specversion: '1.0', id, source: '/kill', type: 'com.example.kill' }),
          });
          await response.body.dump();
          if (response.statusCode === 202) accepted.add(id);
        } catch {
          return; // the process died under us: this request was never answered 202
        }
      }
    });
    while (accepted.size < 300) await new Promise((resolve) => setTimeout(resolve, 10));
    // `exited` listens from the start: the exit can come before the producers notice their dead connections.
    started.child.kill('SIGKILL');
    stop = true;
    await Promise.all(producers);
    await started.exited;

    const firstAccepted = subscriber.requests.length;
    subscriber.respond([{ status: 202 }]);
    started = await startJunctionProcess({ dataDir });
    junction = started;
    const deadline = Date.now() + 60_000;
    const delivered = () => new Set(subscriber.requests.slice(firstAccepted).map((r) => String(r.headers['ce-id'])));
    while (Date.now() < deadline && [...accepted].some((id) => !delivered().has(id))) await new Promise((resolve) => setTimeout(resolve, 50));
    const missing = [...accepted].filter((id) => !delivered().has(id));
    expect(accepted.size).toBeGreaterThanOrEqual(300);
    expect(missing).toEqual([]);

    // SIGTERM shuts down gracefully with exit code 0.
    expect((await started.kill('SIGTERM')).code).toBe(0);
    junction = undefined;
  }, 120_000);
});
