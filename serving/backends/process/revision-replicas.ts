import { describeExit, type ProcessState } from '../../../core/process/index.js';
import type { Replica, RevisionState, RevisionWorkload } from '../backend.js';
import { freePort } from './free-port.js';
import { processSpecFor } from './process-spec.js';
import { ProcessReplica, type ReplicaSupervision } from './replica.js';

/** What every revision of one backend shares. */
export interface RevisionSettings {
  processEnv: Record<string, string>;
  host: string;
  supervision: ReplicaSupervision;
  /** Resolves once a replica leaving has no request in flight (the router knows; the backend cannot). */
  drain: (replica: Replica, revision: { namespace: string; revision: string }) => Promise<void>;
  /** Ports handed to replicas that still run (so two replicas never get the same one). */
  ports: Set<number>;
}

/**
 * The replicas of one revision on the process backend, kept at the count asked for: scaling up
 * starts replicas, scaling down drains the extra ones (not-ready first, then newest) and stops
 * them. Every change of what `state` returns is reported through `onChange`.
 */
export class RevisionReplicas {
  readonly #failure: RevisionState['failure'];
  #desired = 0;
  #serving: ProcessReplica[] = [];
  readonly #leaving = new Set<ProcessReplica>();
  #restarts = 0;
  #lastExit: string | undefined;
  #sequence = 0;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #reported: string | undefined;

  constructor(
    readonly workload: RevisionWorkload,
    public onChange: (state: RevisionState) => void,
    private readonly settings: RevisionSettings,
  ) {
    if (!workload.command?.length) {
      this.#failure = {
        reason: 'ImageNotSupported',
        message: `the process backend runs containers[0].command; image ${workload.image ?? '(none)'} without a command needs the kubernetes backend (a Junction running on Kubernetes)`,
      };
    }
  }

  get state(): RevisionState {
    return {
      replicas: [...this.#serving, ...this.#leaving].map((replica) => replica.view),
      ...(this.#failure ? { failure: this.#failure } : {}),
      restarts: this.#restarts,
      ...(this.#lastExit !== undefined ? { lastExit: this.#lastExit } : {}),
    };
  }

  /** Sets the replica count; resolves once new replicas are started (not yet ready) and leaving ones have stopped. */
  async scale(replicas: number): Promise<void> {
    if (this.#failure) return this.#report();
    this.#desired = Math.max(0, Math.floor(replicas));
    let leaving: Promise<void>[] = [];
    const turn = this.#queue.then(async () => {
      leaving = await this.#reconcile();
    });
    this.#queue = turn.catch(() => undefined);
    await turn;
    await Promise.all(leaving);
  }

  /** Stops every replica at once (no draining) and reports nothing more. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    const all = [...this.#serving, ...this.#leaving];
    this.#serving = [];
    this.#leaving.clear();
    await Promise.all(all.map((replica) => replica.stop()));
    for (const replica of all) this.settings.ports.delete(replica.port);
  }

  /** Starts or drains replicas until the desired count serves; returns the drains it began. */
  async #reconcile(): Promise<Promise<void>[]> {
    while (!this.#closed && this.#serving.length < this.#desired) await this.#startOne();
    const extra = this.#serving.length - this.#desired;
    if (this.#closed || extra <= 0) return [];
    const leaving = [...this.#serving].sort((a, b) => Number(a.ready) - Number(b.ready) || b.sequence - a.sequence).slice(0, extra);
    this.#serving = this.#serving.filter((replica) => !leaving.includes(replica));
    for (const replica of leaving) {
      replica.drain();
      this.#leaving.add(replica);
    }
    this.#report(); // not ready from now on: the router stops sending before the drain begins
    return leaving.map((replica) => this.#stopDrained(replica));
  }

  async #startOne(): Promise<void> {
    const { host, ports, processEnv, supervision } = this.settings;
    const port = await freePort(host, ports);
    if (this.#closed) return;
    ports.add(port);
    const sequence = ++this.#sequence;
    let seenRestarts = 0;
    const replica = new ProcessReplica(`${this.workload.revision}-${sequence}`, sequence, port, host, processSpecFor(this.workload, processEnv, host, port), this.workload.logs, supervision, (state) => {
      seenRestarts = this.#count(state, seenRestarts);
      this.#report();
    });
    this.#serving.push(replica);
    replica.start();
    this.#report();
  }

  /** Counts a replica's restarts and crashes into the revision's (exits of a deliberate stop are not crashes). */
  #count(state: ProcessState, seenRestarts: number): number {
    this.#restarts += Math.max(0, state.restarts - seenRestarts);
    if (state.phase === 'backoff' && state.lastExit) this.#lastExit = describeExit(state.lastExit);
    return state.restarts;
  }

  async #stopDrained(replica: ProcessReplica): Promise<void> {
    try {
      await this.settings.drain(replica.view, { namespace: this.workload.namespace, revision: this.workload.revision });
    } catch (error) {
      this.workload.logs.append('junction', `replica ${replica.id} stops without waiting for its requests: ${(error as Error).message}`);
    }
    await replica.stop();
    this.settings.ports.delete(replica.port);
    if (this.#leaving.delete(replica)) this.#report();
  }

  #report(): void {
    if (this.#closed) return;
    const state = this.state;
    const text = JSON.stringify(state);
    if (text === this.#reported) return;
    this.#reported = text;
    this.onChange(state);
  }
}
