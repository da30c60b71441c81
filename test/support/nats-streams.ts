import { connect } from 'nats';

// Cleanup lives in bench/support: the benchmarks use it too.
export { deleteStreams } from '../../bench/support/nats-streams.js';

/** A stream-name prefix no other test run on the shared server uses (`JTEST_<pid>_<time>`). */
export function uniqueStreamPrefix(label: string): string {
  return `JTEST_${label}_${process.pid}_${Date.now().toString(36)}`;
}

/** Names of the streams whose name starts with `prefix`. */
export async function listStreams(servers: string, prefix: string): Promise<string[]> {
  const nc = await connect({ servers, timeout: 5_000 });
  try {
    const jsm = await nc.jetstreamManager();
    const names: string[] = [];
    for await (const stream of jsm.streams.list()) if (stream.config.name.startsWith(prefix)) names.push(stream.config.name);
    return names;
  } finally {
    await nc.close();
  }
}

/** Names of the durable consumers of stream `stream`. */
export async function listConsumers(servers: string, stream: string): Promise<string[]> {
  const nc = await connect({ servers, timeout: 5_000 });
  try {
    const jsm = await nc.jetstreamManager();
    const names: string[] = [];
    for await (const consumer of jsm.consumers.list(stream)) names.push(consumer.name);
    return names;
  } finally {
    await nc.close();
  }
}
