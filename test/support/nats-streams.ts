import { connect } from 'nats';

/** A stream-name prefix no other test run on the shared server uses (`JTEST_<pid>_<time>`). */
export function uniqueStreamPrefix(label: string): string {
  return `JTEST_${label}_${process.pid}_${Date.now().toString(36)}`;
}

/** Deletes every stream whose name starts with `prefix` (what a failed test may have left behind). */
export async function deleteStreams(servers: string, prefix: string): Promise<void> {
  const nc = await connect({ servers, timeout: 5_000 });
  try {
    const jsm = await nc.jetstreamManager();
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(prefix)) await jsm.streams.delete(stream.config.name);
    }
  } finally {
    await nc.close();
  }
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
