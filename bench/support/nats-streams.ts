import { connect } from 'nats';

/** Deletes every stream whose name starts with `prefix` (what a run leaves, or a failed one left, behind). */
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
