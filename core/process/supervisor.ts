import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { backoffDelay, type BackoffPolicy } from '../backoff/index.js';
import type { LogBuffer } from './log-buffer.js';
import { probeOnce, type ReadinessProbe } from './readiness.js';

/** What to run: a command with its arguments, environment and working directory. */
export interface ProcessSpec {
  command: string;
  args?: string[];
  /** The whole environment of the process (the caller decides what it inherits). */
  env: Record<string, string>;
  cwd?: string;
  /** Checked until it passes after each start; without one the process is ready once spawned. */
  readiness?: { probe: ReadinessProbe; host: string; port: number };
}

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when it could not be started at all (e.g. ENOENT: no such command). */
  error?: string;
  at: number;
}

/** Where a supervised process is in its life. */
export type ProcessPhase = 'starting' | 'ready' | 'backoff' | 'stopped';

/** What the owner sees of the process (for status conditions). */
export interface ProcessState {
  phase: ProcessPhase;
  pid?: number;
  /** Restarts since the supervisor started (a crash counts once). */
  restarts: number;
  lastExit?: ProcessExit;
  /** When the next start is due, in backoff. */
  nextStartAt?: number;
}

/** How a supervisor behaves; every field has a default. */
export interface SupervisorOptions {
  logs: LogBuffer;
  /** Called on every phase change. */
  onChange?: (state: ProcessState) => void;
  /** Delay before restart n (default: exponential from 1 s, capped at 60 s, ±20% jitter). */
  restartBackoff?: BackoffPolicy;
  /** A run longer than this resets the backoff (default 60 s). */
  stableAfterMs?: number;
  /** SIGTERM → this long → SIGKILL (default 10 s). */
  graceMs?: number;
  /** Readiness checks this often (default 50 ms: a cold start should not wait for a slow poll). */
  probeIntervalMs?: number;
  now?: () => number;
}

const DEFAULT_BACKOFF: BackoffPolicy = { kind: 'exponential', baseMs: 500, maxMs: 60_000, jitter: { ratio: 0.2 } };

/**
 * Runs one process and keeps it running: its output goes line by line into `logs`, it is probed
 * until ready, restarted with backoff when it exits, and stopped with SIGTERM, then SIGKILL after
 * the grace period (its whole process group, so a shell's children go too).
 */
export class ProcessSupervisor {
  #child: ChildProcess | undefined;
  #state: ProcessState = { phase: 'starting', restarts: 0 };
  #stopping = false;
  #timer: NodeJS.Timeout | undefined;
  #attempt = 0;
  #startedAt = 0;
  #exited: Promise<void> = Promise.resolve();
  readonly #probe = new AbortController();

  constructor(
    private readonly spec: ProcessSpec,
    private readonly options: SupervisorOptions,
  ) {}

  get state(): ProcessState {
    return { ...this.#state };
  }

  /** Starts the process (once; later starts are the supervisor's own restarts). */
  start(): void {
    if (this.#child || this.#stopping) return;
    this.#spawn();
  }

  /** Stops for good: SIGTERM to the process group, SIGKILL after the grace period; resolves once it exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#probe.abort();
    clearTimeout(this.#timer);
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      this.#signal(child, 'SIGTERM');
      const kill = setTimeout(() => this.#signal(child, 'SIGKILL'), this.options.graceMs ?? 10_000);
      await this.#exited;
      clearTimeout(kill);
    }
    this.#set({ phase: 'stopped', pid: undefined, nextStartAt: undefined });
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #spawn(): void {
    const { logs } = this.options;
    this.#startedAt = this.#now();
    let child: ChildProcess;
    try {
      child = spawn(this.spec.command, this.spec.args ?? [], { env: this.spec.env, cwd: this.spec.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (error) {
      this.#exit({ code: null, signal: null, error: (error as Error).message, at: this.#now() });
      return;
    }
    this.#child = child;
    let settle!: () => void;
    this.#exited = new Promise((resolve) => (settle = resolve));
    for (const [stream, readable] of [['stdout', child.stdout!], ['stderr', child.stderr!]] as const) {
      createInterface({ input: readable, crlfDelay: Infinity }).on('line', (line) => logs.append(stream, line));
    }
    let failedToStart: string | undefined;
    child.once('error', (error) => {
      failedToStart = error.message;
    });
    child.once('close', (code, signal) => {
      this.#child = undefined;
      settle();
      this.#exit({ code, signal, ...(failedToStart !== undefined && child.pid === undefined ? { error: failedToStart } : {}), at: this.#now() });
    });
    if (child.pid === undefined) return; // 'error' and 'close' follow
    this.#set({ phase: 'starting', pid: child.pid, nextStartAt: undefined });
    void this.#waitReady(child);
  }

  async #waitReady(child: ChildProcess): Promise<void> {
    const readiness = this.spec.readiness;
    if (readiness) {
      const interval = this.options.probeIntervalMs ?? 50;
      while (!(await probeOnce(readiness.probe, readiness.host, readiness.port, this.#probe.signal))) {
        if (this.#child !== child || this.#stopping) return;
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    }
    if (this.#child === child && !this.#stopping) this.#set({ phase: 'ready' });
  }

  #exit(exit: ProcessExit): void {
    const { logs } = this.options;
    logs.append('junction', describeExit(exit), exit.at);
    if (this.#stopping) {
      this.#state = { ...this.#state, lastExit: exit };
      return;
    }
    // A process that ran long enough starts the backoff over: only a crash loop waits longer and longer.
    if (exit.at - this.#startedAt >= (this.options.stableAfterMs ?? 60_000)) this.#attempt = 0;
    const delay = backoffDelay(this.options.restartBackoff ?? DEFAULT_BACKOFF, this.#attempt++);
    this.#set({ phase: 'backoff', pid: undefined, lastExit: exit, nextStartAt: exit.at + delay });
    this.#timer = setTimeout(() => {
      if (this.#stopping) return;
      this.#state = { ...this.#state, restarts: this.#state.restarts + 1 };
      this.#spawn();
    }, delay);
  }

  #signal(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      child.kill(signal);
    }
  }

  #set(change: Partial<ProcessState>): void {
    this.#state = { ...this.#state, ...change };
    this.options.onChange?.(this.state);
  }
}

/** One line for logs and conditions: `exited with code 1`, `killed by SIGKILL`, `could not start: …`. */
export function describeExit(exit: ProcessExit): string {
  if (exit.error !== undefined) return `could not start: ${exit.error}`;
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}
