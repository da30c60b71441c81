import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { requireBuiltCli } from '../e2e/cli-harness.js';
import { eventually } from './eventually.js';

const BIN = join(resolve(import.meta.dirname, '../..'), 'bin', 'junction.js');

/** A `junction start` running as a real child process, with a promise of how it ends. */
export interface StartProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/**
 * Spawns the built `junction start --http-port 0 --data-dir <dataDir>` (logs at info). With `shell`,
 * `sh -c <shell> sh node bin/junction.js start …` runs instead, so a script can redirect and print
 * around Junction before it `exec "$@"`s (same pid).
 */
export function spawnStart(dataDir: string, options: { stdio: StdioOptions; shell?: string }): StartProcess {
  requireBuiltCli();
  const command = [process.execPath, BIN, 'start', '--http-port', '0', '--data-dir', dataDir, '--log-level', 'info'];
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child = options.shell ? spawn('sh', ['-c', options.shell, 'sh', ...command], { stdio: options.stdio, env }) : spawn(command[0], command.slice(1), { stdio: options.stdio, env });
  const exited = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  return { child, exited };
}

/** Resolves with the first line `stream` carries (without its newline). */
export function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) resolvePromise(text.slice(0, text.indexOf('\n')));
    });
    stream.once('end', () => reject(new Error(`stream ended before a full line: ${text}`)));
  });
}

/**
 * The URL of the HTTP server `started` listens on, found from /proc (its TCP listening sockets,
 * the one answering /healthz): for a process whose output, and so its "listening on" line, is lost.
 * Rejects if the process exits first.
 */
export async function listeningUrl(started: StartProcess, timeoutMs = 20_000): Promise<string> {
  const pid = started.child.pid!;
  let url = '';
  await eventually(async () => {
    if (started.child.exitCode !== null || started.child.signalCode !== null) return true;
    for (const port of listeningPorts(pid)) {
      const candidate = `http://127.0.0.1:${port}`;
      const answered = await request(`${candidate}/healthz`).then((r) => (r.body.dump(), r.statusCode === 200), () => false);
      if (answered) return void (url = candidate);
    }
    throw new Error(`process ${pid} answers /healthz on no listening port yet`);
  }, timeoutMs, 100);
  if (!url) throw new Error(`junction start exited (code ${started.child.exitCode}, signal ${started.child.signalCode}) before serving`);
  return url;
}

function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const target = readlinkSafe(`/proc/${pid}/fd/${fd}`);
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]);
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A is LISTEN, the inode is the tenth field.
      if (fields.length > 9 && fields[3] === '0A' && inodes.has(fields[9])) ports.push(parseInt(fields[1].split(':')[1], 16));
    }
  }
  return ports;
}

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return ''; // the fd closed between listing and reading
  }
}

/** Sends `signal` and resolves with the exit code, or rejects if the process is still running after `timeoutMs`. */
export async function stopWith(started: StartProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<number | null> {
  started.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`junction start still running ${timeoutMs} ms after ${signal}`)), timeoutMs);
  });
  try {
    return await Promise.race([started.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}
