import type { FieldProblem } from '../errors.js';

/** One `env` entry of a container: a value, or a Secret's value (`valueFrom.secretKeyRef`). */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

/** The fields of a Kubernetes container that Junction runs as a local process (ContainerSource, Service revisions). */
export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  workingDir?: string;
  ports?: Array<{ containerPort?: number; name?: string }>;
  readinessProbe?: { httpGet?: { path?: string; port?: number | string }; tcpSocket?: { port?: number | string }; timeoutSeconds?: number };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The problems of one container at `base` (e.g. `spec.template.spec.containers[0]`): command and
 * args lists of strings, a command or an image, env names and `valueFrom.secretKeyRef` only,
 * workingDir a string, ports[0].containerPort a port number, readinessProbe httpGet / tcpSocket.
 */
export function validateContainer(value: unknown, base: string): FieldProblem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [{ path: base, message: 'must be an object' }];
  const container = value as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const field of ['command', 'args'] as const) {
    const list = container[field];
    if (list !== undefined && (!Array.isArray(list) || list.some((item) => typeof item !== 'string'))) problems.push({ path: `${base}.${field}`, message: 'must be a list of strings' });
  }
  if (Array.isArray(container.command) && container.command.length === 0) problems.push({ path: `${base}.command`, message: 'must not be empty' });
  if (container.command === undefined && typeof container.image !== 'string') problems.push({ path: base, message: 'needs a command (run as a local process) or an image' });
  if (container.env !== undefined) {
    if (!Array.isArray(container.env)) problems.push({ path: `${base}.env`, message: 'must be a list' });
    else {
      container.env.forEach((entry: EnvVar, index: number) => {
        const path = `${base}.env[${index}]`;
        if (typeof entry?.name !== 'string' || !ENV_NAME.test(entry.name)) problems.push({ path: `${path}.name`, message: 'must be an environment variable name' });
        const secret = entry?.valueFrom?.secretKeyRef;
        if (entry?.valueFrom !== undefined && (typeof secret?.name !== 'string' || typeof secret?.key !== 'string')) problems.push({ path: `${path}.valueFrom`, message: 'only secretKeyRef {name, key} is supported' });
        if (entry?.value !== undefined && typeof entry.value !== 'string') problems.push({ path: `${path}.value`, message: 'must be a string' });
      });
    }
  }
  if (container.workingDir !== undefined && typeof container.workingDir !== 'string') problems.push({ path: `${base}.workingDir`, message: 'must be a string' });
  const ports = container.ports;
  if (ports !== undefined) {
    const port = Array.isArray(ports) ? (ports[0] as { containerPort?: unknown } | undefined)?.containerPort : undefined;
    if (!Array.isArray(ports) || (port !== undefined && (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535))) problems.push({ path: `${base}.ports[0].containerPort`, message: 'must be a port number (1-65535)' });
  }
  const probe = container.readinessProbe as Record<string, unknown> | undefined;
  if (probe !== undefined && (probe === null || typeof probe !== 'object' || (probe.httpGet === undefined && probe.tcpSocket === undefined && probe.exec === undefined && probe.grpc === undefined))) {
    problems.push({ path: `${base}.readinessProbe`, message: 'needs httpGet or tcpSocket' });
  }
  return problems;
}
