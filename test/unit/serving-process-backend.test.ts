import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LogBuffer } from '../../core/process/index.js';
import type { Replica, RevisionState, RevisionWorkload } from '../../serving/backends/backend.js';
import { ProcessBackend, type ProcessBackendOptions } from '../../serving/backends/process/index.js';
import { eventually, sleep } from '../support/eventually.js';

const hello = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'serving', 'hello.mjs');
const processEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

const backends: ProcessBackend[] = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map((backend) => backend.close()));
});

function backend(options: Partial<ProcessBackendOptions> = {}): ProcessBackend {
  const created = new ProcessBackend({ processEnv, graceMs: 2000, restartBackoff: { kind: 'constant', baseMs: 50 }, ...options });
  backends.push(created);
  return created;
}

function workload(change: Partial<RevisionWorkload> = {}): RevisionWorkload {
  return { namespace: 'default', service: 'hello', configuration: 'hello', revision: 'hello-00001', command: [process.execPath, hello], env: {}, logs: new LogBuffer(), ...change };
}

/** Deploys and records every state the backend reports. */
async function deploy(target: ProcessBackend, revision: RevisionWorkload, replicas: number) {
  const states: RevisionState[] = [];
  await target.deploy(revision, replicas, (state) => states.push(state));
  return { states, current: () => target.state(revision.namespace, revision.revision)! };
}

interface Answer {
  service: string;
  revision: string;
  configuration: string;
  port: string;
  greeting?: string;
  pid: number;
}

async function ask(replica: Replica, path = '/'): Promise<Answer> {
  const response = await fetch(`${replica.url}${path}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

const readyReplicas = (state: RevisionState) => state.replicas.filter((replica) => replica.ready);

describe('ProcessBackend', () => {
  it('runs a replica with PORT and the K_ variables, ready once it listens, and answering over HTTP', async () => {
    const revision = workload();
    const { current } = await deploy(backend(), revision, 1);
    await eventually(() => expect(readyReplicas(current())).toHaveLength(1));
    const [replica] = current().replicas;
    expect(replica!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await ask(replica!);
    expect(answer).toMatchObject({ service: 'hello', revision: 'hello-00001', configuration: 'hello', port: new URL(replica!.url).port });
    expect(current()).toMatchObject({ restarts: 0 });
    expect(current().failure).toBeUndefined();
    const lines = revision.logs.tail().map((line) => `${line.stream}:${line.text}`);
    expect(lines).toContain(`stdout:listening on ${answer.port}`);
    expect(lines).toContain(`junction:replica ${replica!.id} ready`);
  });

  it('reports a replica ready only once the app listens (TCP probe on PORT by default)', async () => {
    const { states, current } = await deploy(backend(), workload({ env: { START_DELAY_MS: '300' } }), 1);
    await sleep(150);
    expect(current().replicas).toHaveLength(1);
    expect(current().replicas[0]!.ready).toBe(false);
    await eventually(() => expect(readyReplicas(current())).toHaveLength(1));
    await ask(current().replicas[0]!);
    expect(states.some((state) => state.replicas.length === 1 && !state.replicas[0]!.ready)).toBe(true);
    expect(states.at(-1)!.replicas[0]!.ready).toBe(true);
  });

  it("uses the container's readinessProbe, its port (the containerPort) meaning the replica's PORT", async () => {
    const revision = workload({ containerPort: 8080, readinessProbe: { httpGet: { path: '/healthz', port: 8080 } }, env: { START_DELAY_MS: '100' } });
    const { current } = await deploy(backend(), revision, 1);
    await eventually(() => expect(readyReplicas(current())).toHaveLength(1));
    expect(new URL(current().replicas[0]!.url).port).not.toBe('8080');
  });

  it('passes the container env, but PORT and the K_ variables are the backend’s', async () => {
    const { current } = await deploy(backend(), workload({ env: { GREETING: 'hej', K_REVISION: 'spoofed', PORT: '1' } }), 1);
    await eventually(() => expect(readyReplicas(current())).toHaveLength(1));
    const answer = await ask(current().replicas[0]!);
    expect(answer).toMatchObject({ greeting: 'hej', revision: 'hello-00001' });
    expect(answer.port).not.toBe('1');
  });

  it('scales 0 → 2 → 1 → 0, draining the newest replica first: not ready before the drain hook, stopped after it', async () => {
    const drained: { replica: Replica; answeredWhileDraining: boolean; readyInState: boolean | undefined }[] = [];
    const target = backend({
      drain: async (replica, { namespace, revision }) => {
        const inState = target.state(namespace, revision)?.replicas.find((candidate) => candidate.id === replica.id);
        const answeredWhileDraining = await ask(replica).then(() => true, () => false);
        drained.push({ replica, answeredWhileDraining, readyInState: inState?.ready });
      },
    });
    const { current } = await deploy(target, workload(), 0);
    expect(current().replicas).toEqual([]);

    await target.scale('default', 'hello-00001', 2);
    await eventually(() => expect(readyReplicas(current())).toHaveLength(2));
    const [first, second] = current().replicas;
    const answers = await Promise.all([ask(first!), ask(second!)]);
    expect(new Set(answers.map((answer) => answer.pid)).size).toBe(2);
    expect(first!.url).not.toBe(second!.url);

    await target.scale('default', 'hello-00001', 1);
    expect(current().replicas.map((replica) => replica.id)).toEqual([first!.id]);
    expect(drained).toEqual([{ replica: { ...second!, ready: false }, answeredWhileDraining: true, readyInState: false }]);
    await expect(fetch(second!.url)).rejects.toThrow();

    await target.scale('default', 'hello-00001', 0);
    expect(current().replicas).toEqual([]);
    expect(drained.map((entry) => entry.replica.id)).toEqual([second!.id, first!.id]);
    await expect(fetch(first!.url)).rejects.toThrow();
    expect(current().restarts).toBe(0);
  });

  it('restarts a crashed replica and counts the restart and the exit in the state', async () => {
    const revision = workload();
    const { states, current } = await deploy(backend(), revision, 1);
    await eventually(() => expect(readyReplicas(current())).toHaveLength(1));
    const replica = current().replicas[0]!;
    const before = await ask(replica);
    await fetch(`${replica.url}/crash`).catch(() => undefined);
    await eventually(() => expect(current()).toMatchObject({ restarts: 1, lastExit: 'exited with code 3', replicas: [{ id: replica.id, ready: true }] }));
    const after = await ask(current().replicas[0]!);
    expect(after.pid).not.toBe(before.pid);
    expect(states.some((state) => state.replicas[0]?.ready === false && state.restarts === 0 && state.lastExit === 'exited with code 3')).toBe(true);
    expect(revision.logs.tail().map((line) => line.text)).toContain(`replica ${replica.id} exited with code 3`);
  });

  it('reports a command that cannot start as a replica that is never ready, with the reason', async () => {
    const { current } = await deploy(backend(), workload({ command: ['/nonexistent/junction-serving-app'] }), 1);
    await eventually(() => expect(current().lastExit).toMatch(/^could not start: .*ENOENT/));
    expect(readyReplicas(current())).toEqual([]);
  });

  it('fails an image without a command, naming the kubernetes backend, and runs nothing', async () => {
    const target = backend();
    const { states, current } = await deploy(target, workload({ command: undefined, image: 'ghcr.io/knative/helloworld-go' }), 1);
    expect(current()).toMatchObject({ replicas: [], restarts: 0, failure: { reason: 'ImageNotSupported' } });
    expect(current().failure!.message).toMatch(/kubernetes backend/);
    expect(current().failure!.message).toContain('ghcr.io/knative/helloworld-go');
    expect(states).toHaveLength(1);
    await target.scale('default', 'hello-00001', 3);
    expect(current().replicas).toEqual([]);
  });

  it('stops every replica on remove and forgets the revision', async () => {
    const target = backend();
    const { current } = await deploy(target, workload(), 2);
    await eventually(() => expect(readyReplicas(current())).toHaveLength(2));
    const urls = current().replicas.map((replica) => replica.url);
    await target.remove('default', 'hello-00001');
    expect(target.state('default', 'hello-00001')).toBeUndefined();
    for (const url of urls) await expect(fetch(url)).rejects.toThrow();
    await expect(target.scale('default', 'hello-00001', 1)).rejects.toThrow(/not deployed/);
  });
});
