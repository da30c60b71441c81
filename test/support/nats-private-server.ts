import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isListening } from './services.js';

const NATS_SERVER = '/usr/sbin/nats-server';

/** A nats-server with JetStream that a test owns: its own port and store dir, stoppable and restartable. */
export interface PrivateNatsServer {
  readonly port: number;
  readonly url: string;
  /** Kills the process (SIGKILL: a crash, nothing flushed on the way out) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store dir; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Kills it and removes its store dir. */
  dispose(): Promise<void>;
}

/** A free TCP port on loopback (the OS picks one; it is released for the server to take). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} (after ${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `nats-server -a 127.0.0.1 -p <free port> -js -sd <tmpdir>` with user/password auth. */
export function startPrivateNatsServer(user: string, pass: string): Promise<PrivateNatsServer> {
  return startPrivateNatsServerWith(['--user', user, '--pass', pass]);
}

/** Starts `nats-server -a 127.0.0.1 -p <free port> -js -sd <tmpdir> <args…>` (TLS flags, `-c` a config file…). */
export async function startPrivateNatsServerWith(args: string[]): Promise<PrivateNatsServer> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'junction-nats-'));
  let child: ChildProcess | undefined;
  let output = '';

  const start = async (): Promise<void> => {
    output = '';
    const spawned = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    spawned.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = spawned;
    await waitFor(async () => {
      if (spawned.exitCode !== null) throw new Error(`nats-server exited with ${spawned.exitCode}: ${output}`);
      // JetStream is ready once the server logged it (the port opens slightly earlier).
      return (await isListening(port)) && /Server is ready/.test(output);
    }, `private nats-server on port ${port} did not start: ${output}`);
  };

  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    kill,
    start,
    async dispose() {
      await kill();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
