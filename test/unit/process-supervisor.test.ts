import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LogBuffer, ProcessLogs, ProcessSupervisor, type ProcessState } from '../../core/process/index.js';
import { eventually } from '../support/eventually.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const supervisors: ProcessSupervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop()));
});

function supervise(script: string, options: Partial<ConstructorParameters<typeof ProcessSupervisor>[1]> = {}, extra: Partial<ConstructorParameters<typeof ProcessSupervisor>[0]> = {}) {
  const logs = new LogBuffer();
  const states: ProcessState[] = [];
  const supervisor = new ProcessSupervisor({ command: process.execPath, args: ['-e', script], env, ...extra }, { logs, onChange: (state) => states.push(state), restartBackoff: { kind: 'constant', baseMs: 50 }, ...options });
  supervisors.push(supervisor);
  supervisor.start();
  return { supervisor, logs, states };
}

describe('ProcessSupervisor', () => {
  it('writes stdout and stderr line by line into the log, and is ready once spawned when there is no probe', async () => {
    const { supervisor, logs } = supervise('console.log("one"); console.error("two"); process.stdout.write("three\\nfour"); setInterval(() => {}, 1000)');
    // Two pipes: their lines interleave in any order; within one stream the order is kept, and an unfinished line waits.
    await eventually(() => expect(logs.tail().map((line) => `${line.stream}:${line.text}`).sort()).toEqual(['stderr:two', 'stdout:one', 'stdout:three']));
    expect(logs.tail().filter((line) => line.stream === 'stdout').map((line) => line.text)).toEqual(['one', 'three']);
    expect(supervisor.state.phase).toBe('ready');
    expect(supervisor.state.pid).toBeGreaterThan(0);
  });

  it('restarts a crashing process with backoff, counting restarts and keeping the last exit', async () => {
    const { supervisor, logs, states } = supervise('console.log("up"); process.exit(3)');
    await eventually(() => expect(supervisor.state.restarts).toBeGreaterThanOrEqual(2));
    expect(supervisor.state.lastExit).toMatchObject({ code: 3, signal: null });
    expect(states.some((state) => state.phase === 'backoff' && state.nextStartAt !== undefined)).toBe(true);
    expect(logs.tail().filter((line) => line.text === 'up').length).toBeGreaterThanOrEqual(2);
    expect(logs.tail().some((line) => line.stream === 'junction' && line.text === 'exited with code 3')).toBe(true);
  });

  it('waits for the readiness probe (httpGet) before reporting ready', async () => {
    const port = await freePort();
    const { supervisor } = supervise(`setTimeout(() => require('http').createServer((q, s) => s.end(q.url === '/healthz' ? 'ok' : 'no')).listen(${port}, '127.0.0.1'), 300)`, {}, { readiness: { probe: { httpGet: { path: '/healthz' } }, host: '127.0.0.1', port } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(supervisor.state.phase).toBe('starting');
    await eventually(() => expect(supervisor.state.phase).toBe('ready'));
  });

  it('stops with SIGTERM, and SIGKILLs a process that ignores it after the grace period (with its children)', async () => {
    const { supervisor, logs } = supervise('process.on("SIGTERM", () => console.log("term ignored")); console.log("ready"); setInterval(() => {}, 1000)', { graceMs: 300 });
    await eventually(() => expect(logs.tail().map((line) => line.text)).toContain('ready'));
    const started = Date.now();
    await supervisor.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(supervisor.state).toMatchObject({ phase: 'stopped', lastExit: { signal: 'SIGKILL' } });
    expect(logs.tail().map((line) => line.text)).toContain('term ignored');

    const polite = supervise('process.on("SIGTERM", () => { console.log("bye"); process.exit(0) }); console.log("ready"); setInterval(() => {}, 1000)', { graceMs: 5000 });
    await eventually(() => expect(polite.logs.tail().map((line) => line.text)).toContain('ready'));
    await polite.supervisor.stop();
    expect(polite.supervisor.state.lastExit).toMatchObject({ code: 0 });
    expect(polite.logs.tail().map((line) => line.text)).toContain('bye');
  });

  it('reports a command that does not exist as could not start, and keeps retrying it', async () => {
    const logs = new LogBuffer();
    const supervisor = new ProcessSupervisor({ command: '/nonexistent/junction-test-binary', env }, { logs, restartBackoff: { kind: 'constant', baseMs: 50 } });
    supervisors.push(supervisor);
    supervisor.start();
    await eventually(() => expect(supervisor.state.restarts).toBeGreaterThanOrEqual(1));
    expect(supervisor.state.lastExit?.error).toMatch(/ENOENT/);
    expect(logs.tail()[0]!.text).toMatch(/^could not start: .*ENOENT/);
  });
});

describe('LogBuffer and ProcessLogs', () => {
  it('keeps the newest lines within its bounds and tells followers about new lines', () => {
    const buffer = new LogBuffer({ maxLines: 3, maxBytes: 1000 });
    const followed: string[] = [];
    const unfollow = buffer.follow((line) => followed.push(line.text));
    for (const text of ['a', 'b', 'c', 'd']) buffer.append('stdout', text);
    unfollow();
    buffer.append('stdout', 'e');
    expect(buffer.tail().map((line) => line.text)).toEqual(['c', 'd', 'e']);
    expect(buffer.tail(1).map((line) => line.text)).toEqual(['e']);
    expect(followed).toEqual(['a', 'b', 'c', 'd']);
    const bytes = new LogBuffer({ maxLines: 100, maxBytes: 10 });
    for (const text of ['12345', '67890', 'abcde']) bytes.append('stderr', text);
    expect(bytes.tail().map((line) => line.text)).toEqual(['67890', 'abcde']);
  });

  it('keeps one buffer per namespace and resource', () => {
    const logs = new ProcessLogs();
    logs.buffer('a', 'containersources/x').append('stdout', 'in a');
    logs.buffer('b', 'containersources/x').append('stdout', 'in b');
    expect(logs.list('a')).toEqual(['containersources/x']);
    expect(logs.find('a', 'containersources/x')!.tail().map((line) => line.text)).toEqual(['in a']);
    logs.drop('a', 'containersources/x');
    expect(logs.find('a', 'containersources/x')).toBeUndefined();
    expect(logs.list('b')).toEqual(['containersources/x']);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
