import type { RabbitConnection } from './connection.js';
import { decodeMessage, type DecodedMessage } from './event-codec.js';
import { withTimeout } from './failures.js';
import { StreamFollower, type StreamMessage, type StreamStart } from './stream-follower.js';

/** The end of a stream: the offset the next record gets, and its last record's append time. */
export interface StreamHead {
  head: number;
  lastAppendedAt: number;
}

type Reader<T> = (message: StreamMessage, follower: StreamFollower, finish: (value: T) => void, fail: (error: unknown) => void) => void;

/** Follows `stream` from `start` until `read` finishes (or the time runs out), then stops the consumer. */
async function readUntil<T>(connection: RabbitConnection, stream: string, start: StreamStart, prefetch: number, read: Reader<T>, timeoutMs: number): Promise<T> {
  let follower: StreamFollower | undefined;
  let settled = false;
  const result = new Promise<T>((resolve, reject) => {
    const finish = (value: T): void => {
      settled = true;
      resolve(value);
    };
    const fail = (error: unknown): void => {
      settled = true;
      reject(error);
    };
    StreamFollower.start(
      connection,
      stream,
      start,
      prefetch,
      (message, own) => {
        if (!settled) read(message, own, finish, fail);
      },
      () => fail(connection.failure(`stream "${stream}" went away while reading it`)),
    ).then((started) => {
      follower = started;
      // Finished (or timed out) before the consumer was even confirmed.
      if (settled) void started.close();
    }, fail);
  });
  try {
    return await withTimeout(result, timeoutMs, () => connection.failure(`no answer reading stream "${stream}"`));
  } finally {
    settled = true;
    await follower?.close();
  }
}

/**
 * Reads a stream's head over AMQP 0-9-1, which has no call for it: a consumer at `last` gets the
 * whole last chunk in one batch, and a round trip on its channel after the first message proves the
 * batch complete. The stream must not be empty (every Junction stream starts with a record).
 */
export function probeHead(connection: RabbitConnection, stream: string, timeoutMs: number): Promise<StreamHead> {
  const last = { offset: -1, appendedAt: 0 };
  let asked = false;
  return readUntil<StreamHead>(
    connection,
    stream,
    'last',
    1,
    ({ offset, message }, follower, finish, fail) => {
      if (offset > last.offset) Object.assign(last, { offset, appendedAt: decodeMessage(message).appendedAt });
      if (asked) return;
      asked = true;
      follower.roundTrip().then(() => finish({ head: last.offset + 1, lastAppendedAt: last.appendedAt }), fail);
    },
    timeoutMs,
  );
}

/**
 * Reads `stream` from `start` and returns the offset of the first record `accept` takes, or `head`
 * when none before it does (records below `head` exist, so the read always ends).
 */
export function findFirst(
  connection: RabbitConnection,
  stream: string,
  start: StreamStart,
  head: number,
  accept: (offset: number, decoded: DecodedMessage) => boolean,
  timeoutMs: number,
): Promise<number> {
  return readUntil<number>(
    connection,
    stream,
    start,
    256,
    ({ offset, message }, follower, finish) => {
      follower.ackLater(message);
      if (offset < head && accept(offset, decodeMessage(message))) finish(offset);
      else if (offset >= head - 1) finish(head);
    },
    timeoutMs,
  );
}
