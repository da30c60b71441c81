import { connect } from 'nats';

/** How bench/channels runs one engine: the junction.yaml it needs, and what to remove afterwards. */
export interface EngineSetup {
  engine: string;
  prepare(): Promise<{ configYaml?: string; cleanup(): Promise<void> }>;
}

const runId = `${process.pid}_${Date.now().toString(36)}`;

/** Removes the bench's NATS streams (a stream per broker, named with the run's prefix). */
async function deleteNatsStreams(prefix: string): Promise<void> {
  const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
  try {
    const jsm = await nc.jetstreamManager();
    for await (const stream of jsm.streams.list()) if (stream.config.name.startsWith(prefix)) await jsm.streams.delete(stream.config.name);
  } finally {
    await nc.close();
  }
}

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
        cleanup: () => deleteNatsStreams(prefix),
      };
    },
  },
];
