import { createError } from '../../core/errors.js';
import type { SeekTarget } from '../channel.js';
import type { RabbitConnection } from './connection.js';
import type { LogTailer } from './log-tailer.js';
import { findFirst } from './stream-probe.js';

/** What resolving a seek target needs. */
export interface SeekContext {
  connection: RabbitConnection;
  logStream: string;
  tailer: LogTailer;
  clockSkewMs: number;
  timeoutMs: number;
}

/**
 * The offset a group moves to: `latest` is the head; `earliest`, an offset and a time are read from
 * the stream (the first event at or after them, skipping Junction's internal records and anything
 * retention removed), the head when there is none.
 */
export async function resolveSeekTarget(target: SeekTarget, context: SeekContext): Promise<number> {
  const { connection, logStream, tailer, timeoutMs } = context;
  const head = tailer.head();
  const isEvent = (_offset: number, decoded: { kind: string }): boolean => decoded.kind === 'event';
  if (target === 'latest') return head;
  if (target === 'earliest') return findFirst(connection, logStream, 'first', head, isEvent, timeoutMs);
  if (typeof target === 'object' && target !== null) {
    if ('offset' in target && Number.isInteger(target.offset)) {
      if (target.offset >= head) return head;
      return findFirst(connection, logStream, { offset: Math.max(0, target.offset) }, head, isEvent, timeoutMs);
    }
    if ('time' in target && Number.isFinite(target.time)) {
      const time = target.time;
      if (tailer.lastAppendTime() < time) return head;
      // Streams index chunks by the server's clock, in whole seconds: start early enough, then pick exactly.
      return findFirst(
        connection,
        logStream,
        { timestamp: time - context.clockSkewMs },
        head,
        (_offset, decoded) => decoded.kind === 'event' && decoded.appendedAt >= time,
        timeoutMs,
      );
    }
  }
  throw createError('JUNCTION_REPLAY_INVALID', `invalid seek target ${JSON.stringify(target)}: use {offset}, {time}, "earliest" or "latest"`);
}
