import { deleteStreams } from '../../test/support/nats-streams.js';
import { deleteWithPrefix, RABBITMQ_URL } from '../../test/support/rabbitmq-server.js';

/** How bench/channels runs one engine: the junction.yaml it needs, and what to remove afterwards. */
export interface EngineSetup {
  engine: string;
  prepare(): Promise<{ configYaml?: string; cleanup(): Promise<void> }>;
}

const runId = `${process.pid}_${Date.now().toString(36)}`;

/** Every engine the bench knows, against the servers of shared/SERVICES.md. */
export const engineSetups: EngineSetup[] = [
  { engine: 'sqlite', prepare: async () => ({ cleanup: async () => undefined }) },
  { engine: 'memory', prepare: async () => ({ cleanup: async () => undefined }) },
  {
    engine: 'nats',
    prepare: async () => {
      const prefix = `JBENCH_${runId}`;
      return {
        configYaml: `channels:\n  nats:\n    servers: ["nats://127.0.0.1:4222"]\n    streamPrefix: ${prefix}\n    subjectPrefix: ${prefix.toLowerCase()}\n`,
        cleanup: () => deleteStreams('nats://127.0.0.1:4222', prefix),
      };
    },
  },
  {
    engine: 'rabbitmq',
    prepare: async () => {
      const prefix = `junction-bench-${runId}`;
      return { configYaml: `channels:\n  rabbitmq:\n    url: ${RABBITMQ_URL}\n    prefix: ${prefix}\n`, cleanup: () => deleteWithPrefix(prefix) };
    },
  },
];
