import type { FieldProblem } from '../../core/errors.js';
import { validateContainer, type Container } from '../../core/resources/index.js';

export type { Container, EnvVar } from '../../core/resources/index.js';

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

/** The template's problems, each with its path: at least one container, and the first one's fields. */
export function validateContainerSpec(spec: Record<string, unknown>): FieldProblem[] {
  const containers = (spec.template as { spec?: { containers?: unknown } } | undefined)?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    return [{ path: 'spec.template.spec.containers', message: 'must list at least one container' }];
  }
  return validateContainer(containers[0], 'spec.template.spec.containers[0]');
}
