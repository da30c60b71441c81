import { LogBuffer, ProcessSupervisor, type LogLine, type ProcessSpec, type ProcessState, type SupervisorOptions } from '../../../core/process/index.js';
import type { Replica } from '../backend.js';

/** How a replica's supervisor behaves (the backend's options, passed through). */
export type ReplicaSupervision = Pick<SupervisorOptions, 'graceMs' | 'probeIntervalMs' | 'restartBackoff'>;

/**
 * One replica of a revision: a supervised process listening on a port of its own. It is ready
 * while its supervisor is (the readiness probe passed since the last start) and it is not draining.
 */
export class ProcessReplica {
  readonly url: string;
  readonly #supervisor: ProcessSupervisor;
  readonly #log: ReplicaLog;
  #draining = false;

  constructor(
    readonly id: string,
    /** Order of creation within the revision (newer replicas leave first on scale-down). */
    readonly sequence: number,
    readonly port: number,
    host: string,
    spec: ProcessSpec,
    revisionLog: LogBuffer,
    supervision: ReplicaSupervision,
    onChange: (state: ProcessState) => void,
  ) {
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.#log = new ReplicaLog(revisionLog, id);
    this.#supervisor = new ProcessSupervisor(spec, {
      ...supervision,
      logs: this.#log,
      onChange: (state) => {
        this.#describe(state);
        onChange(state);
      },
    });
  }

  get ready(): boolean {
    return !this.#draining && this.#supervisor.state.phase === 'ready';
  }

  get process(): ProcessState {
    return this.#supervisor.state;
  }

  /** What the router sees. */
  get view(): Replica {
    return { id: this.id, url: this.url, ready: this.ready };
  }

  start(): void {
    this.#supervisor.start();
  }

  /** Takes the replica out of service (not ready from now on) while its in-flight requests finish. */
  drain(): void {
    this.#draining = true;
    this.#log.append('junction', 'draining');
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once the process exited. */
  stop(): Promise<void> {
    return this.#supervisor.stop();
  }

  /** Junction's own log lines about the replica's life (its exits the supervisor writes). */
  #describe(state: ProcessState): void {
    if (state.phase === 'starting' && state.pid !== undefined) this.#log.append('junction', `started (pid ${state.pid}, PORT ${this.port})`);
    else if (state.phase === 'ready') this.#log.append('junction', 'ready');
    else if (state.phase === 'backoff' && state.nextStartAt !== undefined && state.lastExit) {
      this.#log.append('junction', `restarts in ${Math.max(0, Math.round((state.nextStartAt - state.lastExit.at) / 100) / 10)} s`);
    }
  }
}

/**
 * The revision's log as one replica writes into it: the app's lines as they are, Junction's own
 * lines (`exited with code 1`, …) as `replica <id> …`, so a revision's replicas can share one log.
 */
class ReplicaLog extends LogBuffer {
  constructor(
    private readonly revisionLog: LogBuffer,
    private readonly replicaId: string,
  ) {
    super({ maxLines: 0, maxBytes: 0 });
  }

  override append(stream: LogLine['stream'], text: string, time = Date.now()): void {
    this.revisionLog.append(stream, stream === 'junction' ? `replica ${this.replicaId} ${text}` : text, time);
  }
}
