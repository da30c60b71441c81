import type { BackoffPolicy } from '../../../core/backoff/index.js';
import type { Replica, RevisionState, RevisionWorkload, ServingBackend } from '../backend.js';
import { RevisionReplicas } from './revision-replicas.js';

/** How the process backend runs replicas; all but `processEnv` have defaults. */
export interface ProcessBackendOptions {
  /** The environment every replica inherits (Junction's, chosen once at start), under the container's env. */
  processEnv: Record<string, string>;
  /** Where replicas listen and are probed (default 127.0.0.1). */
  host?: string;
  /** SIGTERM → this long → SIGKILL when a replica stops (default: the supervisor's 10 s). */
  graceMs?: number;
  /** Readiness checks this often after a start (default 10 ms: a cold start should not wait for a poll). */
  probeIntervalMs?: number;
  /** Delay before restarting a crashed replica (default: the supervisor's exponential backoff). */
  restartBackoff?: BackoffPolicy;
  /**
   * Called for a replica leaving on scale-down, after it was reported not ready; the replica stops
   * once this resolves. The router implements it (resolve when its in-flight requests are done).
   */
  drain?: (replica: Replica, revision: { namespace: string; revision: string }) => Promise<void>;
}

/**
 * The embedded serving backend: each replica of a revision is a local process running the
 * container's `command` + `args` with `PORT` (a free port of its own) and Knative's `K_SERVICE`,
 * `K_REVISION`, `K_CONFIGURATION`, supervised (readiness probe, restart with backoff, graceful stop).
 * A container with only an `image` cannot run here: its state carries an `ImageNotSupported` failure.
 */
export class ProcessBackend implements ServingBackend {
  readonly name = 'process';
  readonly #revisions = new Map<string, RevisionReplicas>();
  readonly #ports = new Set<number>();

  constructor(private readonly options: ProcessBackendOptions) {}

  /** Deploying a revision already deployed takes the new `onChange` and replica count (revisions are immutable: the workload stays). */
  async deploy(workload: RevisionWorkload, replicas: number, onChange: (state: RevisionState) => void): Promise<void> {
    const key = keyOf(workload.namespace, workload.revision);
    let revision = this.#revisions.get(key);
    if (revision) revision.onChange = onChange;
    else {
      const { processEnv, host = '127.0.0.1', graceMs, probeIntervalMs = 10, restartBackoff, drain = async () => undefined } = this.options;
      revision = new RevisionReplicas(workload, onChange, { processEnv, host, drain, ports: this.#ports, supervision: { graceMs, probeIntervalMs, restartBackoff } });
      this.#revisions.set(key, revision);
    }
    await revision.scale(replicas);
  }

  async scale(namespace: string, revision: string, replicas: number): Promise<void> {
    const managed = this.#revisions.get(keyOf(namespace, revision));
    if (!managed) throw new Error(`revision ${namespace}/${revision} is not deployed on the process backend`);
    await managed.scale(replicas);
  }

  state(namespace: string, revision: string): RevisionState | undefined {
    return this.#revisions.get(keyOf(namespace, revision))?.state;
  }

  /** Stops the replicas without draining (the revision is gone); its log buffer stays with its owner. */
  async remove(namespace: string, revision: string): Promise<void> {
    const key = keyOf(namespace, revision);
    const managed = this.#revisions.get(key);
    this.#revisions.delete(key);
    await managed?.close();
  }

  async close(): Promise<void> {
    const all = [...this.#revisions.values()];
    this.#revisions.clear();
    await Promise.all(all.map((revision) => revision.close()));
  }
}

function keyOf(namespace: string, revision: string): string {
  return `${namespace}/${revision}`;
}
