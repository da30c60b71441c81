import type { NatsHandles } from './connection.js';
import { retryable } from './nats-errors.js';

/** Pause between lookups while the server is away. */
const RETRY_PAUSE_MS = 250;

/**
 * The stream's stored timestamp (ms, floor of its nanoseconds) of each sequence. PubAcks do not
 * carry it (JetStream 2.9), so it is read back, by direct get when the stream allows it. Should that
 * fail after the events are safely stored, the local clock stands in rather than failing an append
 * that succeeded.
 */
export async function storedTimes(handles: NatsHandles, stream: string, direct: boolean, sequences: number[], deadline: number): Promise<number[]> {
  const fallback = Date.now();
  const lookups = sequences.map(async (seq) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        if (direct) return await directTime(handles, stream, seq, Math.max(1, deadline - Date.now()));
        return (await handles.jsm.streams.getMessage(stream, { seq })).time.getTime();
      } catch (error) {
        if (attempt >= 2 || Date.now() >= deadline || !retryable(error)) return fallback;
        await sleep(RETRY_PAUSE_MS);
      }
    }
  });
  return Promise.all(lookups);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The stored time of `seq` by a direct get (`$JS.API.DIRECT.GET`: answered by any replica, no JSON). */
async function directTime(handles: NatsHandles, stream: string, seq: number, timeoutMs: number): Promise<number> {
  const reply = await handles.replies.request(`$JS.API.DIRECT.GET.${stream}`, JSON.stringify({ seq }), timeoutMs);
  const stamp = reply.headers?.get('Nats-Time-Stamp');
  // RFC 3339 with nanoseconds: keep the milliseconds (floor), as the consumer side does.
  const time = stamp ? Date.parse(stamp.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN;
  if (!Number.isFinite(time)) throw new Error(`direct get of sequence ${seq} answered ${reply.headers?.code ?? ''} ${reply.headers?.description ?? ''}`);
  return time;
}
