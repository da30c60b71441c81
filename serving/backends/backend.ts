import type { LogBuffer } from '../../core/process/index.js';

/** What a backend runs for one revision: the first container of its template, resolved (Secrets read). */
export interface RevisionWorkload {
  namespace: string;
  service: string;
  configuration: string;
  revision: string;
  /** `command` + `args` for the process backend; `image` for kubernetes. */
  command?: string[];
  args?: string[];
  image?: string;
  /** The container's env with Secret values resolved (the backend adds PORT and K_*). */
  env: Record<string, string>;
  workingDir?: string;
  /** ports[0].containerPort (the process backend picks a free port and passes it as PORT; this is informative). */
  containerPort?: number;
  readinessProbe?: { httpGet?: { path?: string; port?: number | string }; tcpSocket?: { port?: number | string }; timeoutSeconds?: number };
  /** Where the replicas' output goes (`junction logs <service> --revision R`). */
  logs: LogBuffer;
}

/** One running replica as the router sees it. */
export interface Replica {
  id: string;
  /** `http://127.0.0.1:<port>` (process) or the pod address (kubernetes). */
  url: string;
  ready: boolean;
}

/** What a backend reports about a revision (Revision status: actualReplicas, conditions). */
export interface RevisionState {
  replicas: Replica[];
  /** Set when the revision cannot run at all (e.g. an image on the process backend), with a reason for `Ready=False`. */
  failure?: { reason: string; message: string };
  /** Restarts of crashed replicas, with the last exit, for status. */
  restarts: number;
  lastExit?: string;
}

/**
 * Runs revisions as replicas: the one plug point between serving and where code runs (a local
 * process, a Kubernetes Deployment). Small on purpose: a third backend is one folder.
 */
export interface ServingBackend {
  readonly name: string;
  /** Starts managing a revision at `replicas` (0 allowed); `onChange` is called whenever its state changes. */
  deploy(workload: RevisionWorkload, replicas: number, onChange: (state: RevisionState) => void): Promise<void>;
  /** Changes the replica count (the autoscaler's decision); scaling down drains replicas first. */
  scale(namespace: string, revision: string, replicas: number): Promise<void>;
  /** The revision's current state. */
  state(namespace: string, revision: string): RevisionState | undefined;
  /** Stops every replica of the revision and forgets it. */
  remove(namespace: string, revision: string): Promise<void>;
  /** Stops everything (shutdown). */
  close(): Promise<void>;
}
