/** One line a supervised process wrote. */
export interface LogLine {
  /** Ms since the epoch when Junction read it. */
  time: number;
  stream: 'stdout' | 'stderr' | 'junction';
  text: string;
}

/** Bounds of a log buffer: the oldest lines go first once either is exceeded. */
export interface LogBufferLimits {
  maxLines: number;
  maxBytes: number;
}

const DEFAULT_LIMITS: LogBufferLimits = { maxLines: 2000, maxBytes: 1024 * 1024 };
/** A single line longer than this is cut (a process printing megabytes without a newline). */
export const MAX_LINE_BYTES = 16 * 1024;

/**
 * The recent output of one supervised resource (all its restarts), bounded in lines and bytes, with
 * followers for `junction logs -f`. What `kubectl logs` shows for a pod, kept in memory.
 */
export class LogBuffer {
  readonly #lines: LogLine[] = [];
  #bytes = 0;
  readonly #followers = new Map<(line: LogLine) => void, () => void>();

  constructor(private readonly limits: LogBufferLimits = DEFAULT_LIMITS) {}

  append(stream: LogLine['stream'], text: string, time = Date.now()): void {
    const line: LogLine = { time, stream, text: text.length > MAX_LINE_BYTES ? `${text.slice(0, MAX_LINE_BYTES)}…` : text };
    this.#lines.push(line);
    this.#bytes += line.text.length;
    while (this.#lines.length > this.limits.maxLines || (this.#bytes > this.limits.maxBytes && this.#lines.length > 1)) {
      this.#bytes -= this.#lines.shift()!.text.length;
    }
    for (const follower of this.#followers.keys()) follower(line);
  }

  /** The last `count` lines (all when undefined). */
  tail(count?: number): LogLine[] {
    return count === undefined ? [...this.#lines] : this.#lines.slice(Math.max(0, this.#lines.length - count));
  }

  /**
   * Calls `listener` for every line appended from now on, and `onEnd` once the buffer is closed
   * (its resource was deleted); returns the unsubscribe function.
   */
  follow(listener: (line: LogLine) => void, onEnd: () => void = () => undefined): () => void {
    this.#followers.set(listener, onEnd);
    return () => this.#followers.delete(listener);
  }

  /** No more lines will come: followers are told and let go. */
  close(): void {
    const ends = [...this.#followers.values()];
    this.#followers.clear();
    for (const end of ends) end();
  }
}

/**
 * The log buffers of every supervised resource, by namespace and `<plural>/<name>` (e.g.
 * `containersources/heartbeat`), shared by the supervisors that write and the API that reads.
 */
export class ProcessLogs {
  readonly #buffers = new Map<string, LogBuffer>();

  /** The buffer of a resource, created on first use. */
  buffer(namespace: string, resource: string): LogBuffer {
    const key = `${namespace}\n${resource}`;
    let buffer = this.#buffers.get(key);
    if (!buffer) this.#buffers.set(key, (buffer = new LogBuffer()));
    return buffer;
  }

  /** The buffer of a resource if it ever logged. */
  find(namespace: string, resource: string): LogBuffer | undefined {
    return this.#buffers.get(`${namespace}\n${resource}`);
  }

  /** Resources of a namespace that have logs (`<plural>/<name>`). */
  list(namespace: string): string[] {
    return [...this.#buffers.keys()].filter((key) => key.startsWith(`${namespace}\n`)).map((key) => key.slice(namespace.length + 1));
  }

  /** Forgets a deleted resource's logs (and ends its followers). */
  drop(namespace: string, resource: string): void {
    const key = `${namespace}\n${resource}`;
    this.#buffers.get(key)?.close();
    this.#buffers.delete(key);
  }
}
