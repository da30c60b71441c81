import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';

const root = join(import.meta.dirname, '..', '..');

/** Starts the built `junction start` as a real process and resolves with its URL once it is listening. */
function startProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'junction.js'), 'start', '--http-port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`junction did not start: ${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Junction listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`junction exited with ${code}: ${output}`)));
  });
}

async function put(url: string, path: string, body: unknown): Promise<void> {
  const response = await request(`${url}${path}`, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${path}: ${response.statusCode} ${text}`);
}

async function waitTriggerReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const json = (await request(`${url}/apis/eventing.knative.dev/v1/namespaces/default/triggers/t`).then((r) => r.body.json())) as any;
    if (json.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('trigger not ready');
}

describe('durability of accepted events across kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-kill-'));
  let subscriber: HttpSubscriber;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    child?.kill('SIGKILL');
    await subscriber?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every event answered 202 after the process is killed mid-stream and restarted', async () => {
    // The subscriber is down (503) during the first run, so accepted events pile up undelivered.
    subscriber = await startHttpSubscriber([{ status: 503 }]);
    let started = await startProcess(dataDir);
    child = started.child;
    await put(started.url, '/apis/eventing.knative.dev/v1/namespaces/default/brokers/default', { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default' } });
    await put(started.url, '/apis/eventing.knative.dev/v1/namespaces/default/triggers/t', {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name: 't' },
      spec: { broker: 'default', subscriber: { uri: subscriber.url }, delivery: { retry: 1000, backoffPolicy: 'linear', backoffDelay: 'PT0.05S' } },
    });
    await waitTriggerReady(started.url);

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
    // Listen before killing: the exit can come before the producers notice their dead connections.
    const killed = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(producers);
    await killed;

    const firstAccepted = subscriber.requests.length;
    subscriber.respond([{ status: 202 }]);
    started = await startProcess(dataDir);
    child = started.child;
    const deadline = Date.now() + 60_000;
    const delivered = () => new Set(subscriber.requests.slice(firstAccepted).map((r) => String(r.headers['ce-id'])));
    while (Date.now() < deadline && [...accepted].some((id) => !delivered().has(id))) await new Promise((resolve) => setTimeout(resolve, 50));
    const missing = [...accepted].filter((id) => !delivered().has(id));
    expect(accepted.size).toBeGreaterThanOrEqual(300);
    expect(missing).toEqual([]);

    // SIGTERM shuts down gracefully with exit code 0.
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
  }, 120_000);
});
