import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'junction.js');

/** What one run of the built `junction` CLI produced. */
export interface CliResult {
  /** The exit code, or -1 when a signal ended it. */
  code: number;
  /** The signal that ended it, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Fails loudly when the CLI has not been built (`npm test` builds before vitest; run `npm run build` otherwise). */
export function requireBuiltCli(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` before the CLI e2e tests');
}

/** Options of one CLI run. */
export type CliOptions = { server?: string; env?: Record<string, string>; input?: string; cwd?: string };

/**
 * Runs `node bin/junction.js …args` as a child process against `server` (asynchronously: the
 * Junction under test runs in this process and must keep serving). No token or data dir leaks in
 * from the environment: `env` sets exactly what the test wants.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Starts the CLI like runCli and returns its process too (to signal it or read its output as it comes) with its result. */
export function startCli(args: string[], options: CliOptions = {}): { child: ChildProcessWithoutNullStreams; result: Promise<CliResult> } {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', JUNCTION_DATA_DIR: emptyDir(), ...options.env };
  if (options.server) env.JUNCTION_SERVER = options.server;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? -1, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
  return { child, result };
}

/** Runs the CLI and fails the test with its stderr unless it exited 0. */
export async function runCliOk(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const result = await runCli(args, options);
  if (result.code !== 0) throw new Error(`junction ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

/** Polls `junction get TYPE -o json` until every listed resource is Ready=True (bounded); returns the last list. */
export async function waitAllReady(type: string, names: string[], options: CliOptions & { namespace?: string; timeoutMs?: number } = {}): Promise<any[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let items: any[] = [];
  while (Date.now() < deadline) {
    const result = await runCliOk(['get', type, '-n', options.namespace ?? 'default', '-o', 'json'], options);
    items = JSON.parse(result.stdout).items;
    const ready = (name: string) =>
      items.find((item) => item.metadata.name === name)?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
    if (names.every(ready)) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${type} ${names.join(', ')} not all Ready: ${JSON.stringify(items.map((i) => [i.metadata.name, i.status?.conditions]))}`);
}

let empty: string | undefined;
function emptyDir(): string {
  empty ??= mkdtempSync(join(tmpdir(), 'junction-cli-nodata-'));
  return empty;
}
