import { ProcessSupervisor, describeExit, type ProcessState } from '../../core/process/index.js';
import type { SourceAdapter, SourceContext } from '../framework/adapter.js';
import { overridesOf } from '../framework/events.js';
import { startSinkRelay } from './relay.js';
import { containerSpecProperties, firstContainer, validateContainerSpec, type Container } from './spec.js';

/**
 * ContainerSource (`sources.knative.dev/v1`): runs `spec.template.spec.containers[0]` as a local
 * process with `K_SINK` (a loopback CloudEvents endpoint relaying to the sink) and
 * `K_CE_OVERRIDES`, restarts it with backoff, and keeps its output for `junction logs`. An image
 * without a command cannot run here: `Deployed=False` names the Kubernetes backend.
 */
export const containerSourceAdapter: SourceAdapter = {
  kind: 'ContainerSource',
  apis: [{ group: 'sources.knative.dev', versions: ['v1'] }],
  shortNames: ['cs'],
  description: 'runs a command that posts CloudEvents to $K_SINK (Knative ContainerSource)',
  eventTypes: ['*'],
  specProperties: containerSpecProperties,
  requiredSpec: ['template'],
  validate: (spec) => validateContainerSpec(spec),
  async start(context) {
    const container = firstContainer(context.spec)!;
    if (!container.command?.length) {
      context.report({
        type: 'Deployed',
        status: 'False',
        reason: 'ImageNotSupported',
        message: `the process backend runs containers[0].command; image ${container.image ?? '(none)'} without a command needs the kubernetes backend (a Junction running on Kubernetes)`,
      });
      return { stop: async () => undefined };
    }
    const relay = await startSinkRelay(context.sink);
    const supervisor = new ProcessSupervisor(
      { command: container.command[0]!, args: [...container.command.slice(1), ...(container.args ?? [])], env: environment(context, container, relay.url), cwd: container.workingDir },
      { logs: context.logs, onChange: (state) => context.report(deployed(state)) },
    );
    supervisor.start();
    context.logger.info({ command: container.command[0], sink: context.sink.uri }, 'container source process started');
    return {
      async stop() {
        await supervisor.stop();
        await relay.close();
      },
    };
  },
};

/** Junction's inherited environment, then the container's `env` (Secrets resolved), then Knative's K_ variables. */
function environment(context: SourceContext, container: Container, sinkUrl: string): Record<string, string> {
  const env: Record<string, string> = { ...context.processEnv };
  (container.env ?? []).forEach((entry, index) => {
    env[entry.name] = entry.valueFrom?.secretKeyRef ? context.secret(entry.valueFrom, `spec.template.spec.containers[0].env[${index}].valueFrom`) : (entry.value ?? '');
  });
  env.K_SINK = sinkUrl;
  env.K_CE_OVERRIDES = JSON.stringify({ extensions: overridesOf(context.spec) });
  env.NAMESPACE = context.namespace;
  env.NAME = context.name;
  return env;
}

/** The `Deployed` condition for the process's state. */
function deployed(state: ProcessState) {
  if (state.phase === 'ready') return { type: 'Deployed', status: 'True' as const };
  if (state.phase === 'backoff') {
    const exit = state.lastExit ? describeExit(state.lastExit) : 'exited';
    const wait = state.nextStartAt !== undefined && state.lastExit ? Math.max(0, Math.round((state.nextStartAt - state.lastExit.at) / 100) / 10) : 0;
    return { type: 'Deployed', status: 'False' as const, reason: 'CrashLoopBackOff', message: `the process ${exit}; restart ${state.restarts + 1} in ${wait} s` };
  }
  return { type: 'Deployed', status: 'Unknown' as const, reason: 'Starting', message: 'the process is starting' };
}
