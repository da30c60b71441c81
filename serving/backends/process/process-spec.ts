import type { ProcessSpec, ReadinessProbe } from '../../../core/process/index.js';
import type { RevisionWorkload } from '../backend.js';

/** Knative's containerPort when `ports` is not set. */
const DEFAULT_CONTAINER_PORT = 8080;

/**
 * How one replica of `workload` runs as a local process listening on `port`: `command[0]` with the
 * rest of `command` and `args`; the environment Junction passes on, then the container's `env`,
 * then what Knative reserves (PORT and the K_ variables, which the container cannot override).
 */
export function processSpecFor(workload: RevisionWorkload, processEnv: Record<string, string>, host: string, port: number): ProcessSpec {
  const [command, ...rest] = workload.command ?? [];
  if (command === undefined) throw new Error(`revision ${workload.revision} has no command`);
  return {
    command,
    args: [...rest, ...(workload.args ?? [])],
    env: {
      ...processEnv,
      ...workload.env,
      PORT: String(port),
      K_SERVICE: workload.service,
      K_REVISION: workload.revision,
      K_CONFIGURATION: workload.configuration,
    },
    cwd: workload.workingDir,
    readiness: { probe: probeFor(workload), host, port },
  };
}

/**
 * The readiness probe of a replica: the container's own, or a TCP connect to PORT (Knative's
 * default). A probe port that names the container's port (its number, or a port name) means PORT
 * here, since each replica listens on a port of its own; only another number is kept as written.
 */
export function probeFor(workload: RevisionWorkload): ReadinessProbe {
  const probe = workload.readinessProbe;
  const timeout = probe?.timeoutSeconds !== undefined ? { timeoutSeconds: probe.timeoutSeconds } : {};
  const containerPort = workload.containerPort ?? DEFAULT_CONTAINER_PORT;
  const port = (written: number | string | undefined) => (isContainerPort(written, containerPort) ? {} : { port: written });
  if (probe?.httpGet) return { httpGet: { ...(probe.httpGet.path !== undefined ? { path: probe.httpGet.path } : {}), ...port(probe.httpGet.port) }, ...timeout };
  return { tcpSocket: port(probe?.tcpSocket?.port), ...timeout };
}

/** Whether a probe's port (unset, a number, a numeric string or a port name) is the container's port. */
function isContainerPort(port: number | string | undefined, containerPort: number): boolean {
  if (port === undefined) return true;
  if (typeof port === 'string' && !/^\d+$/.test(port)) return true;
  return Number(port) === containerPort;
}
