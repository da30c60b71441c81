import { randomUUID } from 'node:crypto';
import { ErrorCode, type Msg } from 'nats';
import type { CloudEvent } from '../../core/cloudevent/index.js';
import { createError, type JunctionError } from '../../core/errors.js';
import type { ChannelRecord } from '../channel.js';
import { recordKey } from '../log/record-key.js';
import type { NatsHandles } from './connection.js';
import { encodeEvent, type EncodedEvent } from './event-codec.js';
import { natsError, retryable } from './nats-errors.js';
import type { ChannelNames } from './names.js';

/** Pause between attempts while the server is away. */
const RETRY_PAUSE_MS = 250;

/** Where and how a channel appends. */
export interface AppendTarget {
  names: ChannelNames;
  address: string;
  /** Overall bound of one append, outage included. */
  publishTimeoutMs: number;
  /** Creates the stream again if it is gone (a server that came back without its data). */
  restoreStream: () => Promise<unknown>;
}

interface Pending {
  index: number;
  encoded: EncodedEvent;
}

/**
 * Publishes a batch to the channel's stream and resolves once JetStream acknowledged every event
 * (PubAck = stored). Publishes are pipelined in batch order. While the server is away they are
 * retried until `publishTimeoutMs`; each event carries a Nats-Msg-Id, so a retry of an event that
 * was stored but whose PubAck was lost is recognised by the stream (duplicate window) and answered
 * with the original sequence instead of being stored twice. Records carry offset = sequence − 1 and
 * appendedAt = the local time the batch was first published (consumers see the stored timestamp). When some events stay unacknowledged, the append rejects with
 * JUNCTION_STORAGE_UNAVAILABLE whose `acknowledged` lists the batch indexes that were stored (the
 * others were not acknowledged: they may or may not have been stored).
 */
export async function appendBatch(handles: NatsHandles, target: AppendTarget, events: CloudEvent[]): Promise<ChannelRecord[]> {
  // The local time before the first publish: never later than the stream's stored timestamp of
  // any event of this batch (same clock on one host), so seeking a group to it finds the batch.
  // Reading the stored time back would cost a second round trip per event.
  const publishedAt = Date.now();
  const deadline = publishedAt + target.publishTimeoutMs;
  const sequences: number[] = new Array<number>(events.length);
  let pending: Pending[] = events.map((event, index) => {
    const encoded = encodeEvent(event);
    encoded.headers.set('Nats-Msg-Id', randomUUID());
    encoded.headers.set('Nats-Expected-Stream', target.names.stream);
    return { index, encoded };
  });
  let lastError: unknown;
  let restored = false;
  while (pending.length > 0) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const attempts = pending.map((item) => handles.replies.request(target.names.subject, item.encoded.payload, remaining, item.encoded.headers).then(pubAckSequence));
    const results = await Promise.allSettled(attempts);
    const failed: Pending[] = [];
    results.forEach((result, position) => {
      const item = pending[position] as Pending;
      if (result.status === 'fulfilled') sequences[item.index] = result.value;
      else {
        failed.push(item);
        lastError = result.reason;
      }
    });
    pending = failed;
    if (pending.length > 0 && !retryable(lastError)) throw refusal(target, lastError, acknowledgedIndexes(sequences));
    if (pending.length === 0) break;
    if (!restored && (lastError as { code?: string } | null)?.code === ErrorCode.NoResponders) {
      // Nothing listens on the subject: the stream may be gone; make sure it exists (once per append).
      restored = true;
      await target.restoreStream().catch(() => undefined);
    }
    await sleep(Math.min(RETRY_PAUSE_MS, Math.max(0, deadline - Date.now())));
  }
  if (pending.length > 0) {
    const reason = (lastError as Error | undefined)?.message ?? 'timed out';
    throw createError(
      'JUNCTION_STORAGE_UNAVAILABLE',
      `NATS JetStream at ${target.address} did not acknowledge ${pending.length} of ${events.length} events within ${target.publishTimeoutMs} ms: ${reason}`,
      { cause: lastError, extra: { acknowledged: acknowledgedIndexes(sequences) } },
    );
  }
  return events.map((event, index) => {
    const record: ChannelRecord = { offset: (sequences[index] as number) - 1, appendedAt: publishedAt, event };
    const key = recordKey(event);
    if (key !== undefined) record.key = key;
    return record;
  });
}

/** The sequence of a PubAck, or the error it carries (no responders: the stream is not there right now). */
function pubAckSequence(msg: Msg): number {
  if (msg.data.length === 0 && msg.headers?.code === 503) throw Object.assign(new Error('no responders (stream unavailable)'), { code: ErrorCode.NoResponders });
  const answer = JSON.parse(new TextDecoder().decode(msg.data)) as { seq?: number; error?: { code?: number; err_code?: number; description?: string } };
  if (answer.error) throw Object.assign(new Error(answer.error.description ?? 'JetStream error'), { api_error: answer.error });
  if (typeof answer.seq !== 'number') throw new Error('PubAck without a sequence');
  return answer.seq;
}

function acknowledgedIndexes(sequences: number[]): number[] {
  return sequences.flatMap((sequence, index) => (sequence === undefined ? [] : [index]));
}

/** The error of an append the server refused outright (not an outage). */
function refusal(target: AppendTarget, error: unknown, acknowledged: number[]): JunctionError {
  if ((error as { code?: string } | null)?.code === ErrorCode.MaxPayloadExceeded) {
    return createError('JUNCTION_EVENT_TOO_LARGE', `an event is larger than the max_payload of NATS at ${target.address}`, { cause: error, extra: { acknowledged } });
  }
  const junctionError = natsError(target.address, `append to ${target.names.stream}`, error);
  Object.assign(junctionError.extra, { acknowledged });
  return junctionError;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
