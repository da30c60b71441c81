import type { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';

/** Log bytes a stalled reader may leave queued in memory before further lines are dropped. */
const MAX_QUEUED_BYTES = 1024 * 1024;

/**
 * Makes a standard stream outlive its reader: a write error (EPIPE once the reader of a pipe is
 * gone, EIO after a terminal hung up) ends the stream quietly instead of crashing the process.
 */
export function tolerateLostReader(stream: Writable): Writable {
  if (!stream.listeners('error').includes(ignoreWriteError)) stream.on('error', ignoreWriteError);
  return stream;
}

/**
 * A pino destination writing to `stream` that drops lines rather than fail or block the server:
 * nothing once the reader is gone, nothing more while a stalled reader leaves MAX_QUEUED_BYTES
 * unread. Plain stream writes, so no exit hook tries to flush (and spin on) a lost stream.
 */
export function droppingLogDestination(stream: Writable): DestinationStream {
  tolerateLostReader(stream);
  return {
    write(line: string) {
      if (stream.destroyed || !stream.writable || stream.writableLength > MAX_QUEUED_BYTES) return;
      try {
        stream.write(line);
      } catch {
        // A stream that fails synchronously (a file on a full disk) loses this line, not the server.
      }
    },
  };
}

function ignoreWriteError(): void {
  // The stream is destroyed by then; later writes are dropped by their writers.
}
