import type { FieldProblem } from '../../core/errors.js';
import type { ReadinessProbe } from '../../core/process/index.js';

/** One `env` entry of a container: a value, or a Secret's value (`valueFrom.secretKeyRef`). */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

/** The fields of `spec.template.spec.containers[0]` a local process uses. */
export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  workingDir?: string;
  ports?: Array<{ containerPort?: number }>;
  readinessProbe?: ReadinessProbe;
}

/**
 * Knative's ContainerSource spec: a PodTemplateSpec, kept whole (`x-kubernetes-preserve-unknown-fields`)
 * so Kubernetes YAML applies unchanged; the process backend reads the first container.
 */
export const containerSpecProperties: Record<string, unknown> = {
  template: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
};

/** The first container of the template. */
export function firstContainer(spec: Record<string, unknown>): Container | undefined {
  const containers = ((spec.template as { spec?: { containers?: unknown } } | undefined)?.spec?.containers ?? []) as unknown[];
  const first = containers[0];
  return first !== null && typeof first === 'object' ? (first as Container) : undefined;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The template's problems, each with its path: at least one container; command/args/env of the right shapes. */
export function validateContainerSpec(spec: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const containers = (spec.template as { spec?: { containers?: unknown } } | undefined)?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    return [{ path: 'spec.template.spec.containers', message: 'must list at least one container' }];
  }
  const base = 'spec.template.spec.containers[0]';
  const container = containers[0] as Record<string, unknown>;
  if (container === null || typeof container !== 'object') return [{ path: base, message: 'must be an object' }];
  for (const field of ['command', 'args'] as const) {
    const value = container[field];
    if (value !== undefined && (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))) problems.push({ path: `${base}.${field}`, message: 'must be a list of strings' });
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
  return problems;
}
