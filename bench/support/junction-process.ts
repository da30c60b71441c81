import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { request } from 'undici';

// The repository: two levels up from the source file (vitest runs it), three from its build in dist/.
const ABOVE_BENCH = join(import.meta.dirname, '..', '..');
const ROOT = basename(ABOVE_BENCH) === 'dist' ? dirname(ABOVE_BENCH) : ABOVE_BENCH;
const BIN = join(ROOT, 'bin', 'junction.js');
const MAX_OUTPUT_CHARS = 64 * 1024;

/** How the process ended: its exit code, or the signal that killed it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The built `junction start`, running as a process of its own (what a crash test must kill). */
export interface JunctionProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` it printed once listening. */
  readonly url: string;
  readonly dataDir: string;
  /** Settles once the process ended, however it did. */
  readonly exited: Promise<ProcessExit>;
  /** The last 64 KiB it wrote to stdout and stderr (its logs), for failure messages. */
  output(): string;
  /** PUTs a resource (`/apis/...` path) through the control API; throws on a non-2xx answer. */
  put(path: string, resource: unknown): Promise<void>;
  /** Polls a resource until its Ready condition is True; throws after `timeoutMs`. */
  waitReady(path: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal` (SIGKILL by default: kill -9) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<ProcessExit>;
}

/** How to start it: an existing or fresh data dir, and a config file's contents (as an object). */
export interface JunctionProcessOptions {
  dataDir: string;
  /** Written as `junction.yaml` into the data dir and passed with --config. */
  config?: Record<string, unknown>;
  /** --log-level (default `warn`). */
  logLevel?: string;
  /** How long to wait for `Junction listening on` (default 30 s). */
  startTimeoutMs?: number;
  /** Environment variables set for the process on top of this one's (e.g. NODE_EXTRA_CA_CERTS). */
  env?: Record<string, string>;
}

/**
 * Spawns `node bin/junction.js start --http-port 0` on `options.dataDir` (dist/ must be built) and
 * resolves once it printed its URL; rejects with its output when it exits or stays silent first.
 */
export function startJunctionProcess(options: JunctionProcessOptions): Promise<JunctionProcess> {
  const args = [BIN, 'start', '--http-port', '0', '--data-dir', options.dataDir, '--log-level', options.logLevel ?? 'warn'];
  if (options.config) {
    const file = join(options.dataDir, 'junction.yaml');
    writeFileSync(file, JSON.stringify(options.config)); // JSON is YAML
    args.push('--config', file);
  }
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT_CHARS));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    let started = false;
    const fail = (why: string) => {
      if (started) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`junction start ${why}: ${output}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${startTimeoutMs} ms`), startTimeoutMs);
    void exited.then((exit) => fail(`exited (${exit.code ?? exit.signal}) before listening`));
    // Registered after `collect`, so `output` already holds the chunk.
    const listening = () => {
      const match = /Junction listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      started = true;
      clearTimeout(timer);
      child.stdout!.off('data', listening);
      resolve(handle(child, match[1], options.dataDir, exited, () => output));
    };
    child.stdout!.on('data', listening);
  });
}

function handle(child: ChildProcess, url: string, dataDir: string, exited: Promise<ProcessExit>, output: () => string): JunctionProcess {
  return {
    child,
    url,
    dataDir,
    exited,
    output,
    async put(path, resource) {
      const response = await request(`${url}${path}`, { method: 'PUT', body: JSON.stringify(resource), headers: { 'content-type': 'application/json' } });
      const text = await response.body.text();
      if (response.statusCode >= 300) throw new Error(`PUT ${path}: ${response.statusCode} ${text}`);
    },
    async waitReady(path, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        const response = await request(`${url}${path}`);
        last = await response.body.json();
        const conditions = (last as { status?: { conditions?: Array<{ type: string; status: string }> } }).status?.conditions ?? [];
        if (conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True')) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`${path} not Ready within ${timeoutMs} ms: ${JSON.stringify(last)}`);
    },
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      return exited;
    },
  };
}
