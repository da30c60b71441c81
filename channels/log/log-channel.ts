import type { CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';
import type { Channel, ChannelMessage, ChannelRecord, ConsumeOptions, Consumer, LogAccess, SeekTarget } from '../channel.js';
import { ConsumerGroups } from './consumer-groups.js';

/** The storage half of a log-structured engine: random access plus append and close. */
export interface LogStorage extends LogAccess {
  /** Appends events; resolves once they are durable (and `onAppend` listeners have seen them). */
  append(events: CloudEvent[]): Promise<ChannelRecord[]>;
  /** Finishes pending writes and releases this channel's storage handles. */
  close(): Promise<void>;
}

/**
 * A `Channel` (with `LogAccess`) made of an engine's `LogStorage` plus the shared consumer groups.
 * After `close`, every call rejects (or throws) with JUNCTION_SHUTTING_DOWN.
 */
export class LogChannel implements Channel, LogAccess {
  private readonly groups: ConsumerGroups;
  private closing: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly storage: LogStorage,
    private readonly onClosed: () => void = () => undefined,
  ) {
    this.groups = new ConsumerGroups(storage);
  }

  append(events: CloudEvent[]): Promise<ChannelRecord[]> {
    if (this.closing) return Promise.reject(this.closedError());
    if (events.length === 0) return Promise.resolve([]);
    return this.storage.append(events);
  }

  consume(group: string, options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer {
    if (this.closing) throw this.closedError();
    return this.groups.consume(group, options, handler);
  }

  seek(group: string, target: SeekTarget): Promise<void> {
    return this.run(() => this.groups.seek(group, target));
  }

  backlog(group: string): Promise<number> {
    return this.run(() => this.groups.backlog(group));
  }

  deleteGroup(group: string): Promise<void> {
    return this.run(() => this.groups.deleteGroup(group));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.groups.close();
      await this.storage.close();
      this.onClosed();
    })();
    return this.closing;
  }

  head(): number {
    return this.storage.head();
  }

  tail(): number {
    return this.storage.tail();
  }

  read(from: number, limit: number): ChannelRecord[] {
    return this.storage.read(from, limit);
  }

  offsetAt(time: number): number {
    return this.storage.offsetAt(time);
  }

  onAppend(listener: (records: ChannelRecord[]) => void): () => void {
    return this.storage.onAppend(listener);
  }

  cursor(name: string): number | undefined {
    return this.storage.cursor(name);
  }

  saveCursors(cursors: Map<string, number>): void {
    this.storage.saveCursors(cursors);
  }

  deleteCursor(name: string): void {
    this.storage.deleteCursor(name);
  }

  private run<T>(action: () => T): Promise<T> {
    if (this.closing) return Promise.reject(this.closedError());
    try {
      return Promise.resolve(action());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private closedError(): Error {
    return createError('JUNCTION_SHUTTING_DOWN', `channel "${this.name}" is closed`);
  }
}
