import { randomUUID } from 'node:crypto';
import type { RabbitConnection } from './connection.js';
import { withTimeout } from './failures.js';
import { applyPositionRecord, parsePositionRecord, snapshotOf, type KnownPosition, type PositionRecord } from './position-records.js';
import type { Publisher } from './publisher.js';
import { StreamFollower } from './stream-follower.js';

/** Bytes of position records after which a snapshot is written (retention keeps many of them). */
const SNAPSHOT_EVERY_BYTES = 128 * 1024;

/**
 * Committed group positions of one channel, kept in its positions stream and read by following it:
 * every process sees every commit, seek and deletion in one order. `sync` publishes a barrier and
 * waits to read it back, so everything committed before the call is known after it.
 */
export class PositionStore {
  private readonly known = new Map<string, KnownPosition>();
  /** Our own writes not read back yet: they win over what the stream said so far. */
  private readonly overlay = new Map<string, { position: number | undefined; id: string }>();
  private readonly waiters = new Map<string, () => void>();
  private readonly watchers = new Map<string, (position: number) => void>();
  private readonly writer = randomUUID();
  private sequence = 0;
  private seen = -1;
  private bytesSinceSnapshot = 0;
  private snapshotting = false;
  private synced = false;
  private follower: StreamFollower | undefined;

  constructor(
    private readonly connection: RabbitConnection,
    private readonly publisher: Publisher,
    private readonly stream: string,
    private readonly timeoutMs: number,
    private readonly onLost: () => void,
  ) {}

  /** Reads the stream (from the start the first time, on from the last record later) and syncs. */
  async start(): Promise<void> {
    const previous = this.follower;
    this.follower = undefined;
    await previous?.close();
    const started: { follower?: StreamFollower } = {};
    started.follower = await StreamFollower.start(
      this.connection,
      this.stream,
      this.seen < 0 ? 'first' : { offset: this.seen + 1 },
      4096,
      ({ offset, message }, own) => {
        own.ackLater(message);
        if ((this.follower !== undefined && own !== this.follower) || offset <= this.seen) return;
        this.seen = offset;
        this.read(offset, message.content, message.properties.messageId as unknown);
      },
      () => {
        if (started.follower !== undefined && this.follower !== started.follower) return;
        this.follower = undefined;
        this.onLost();
      },
    );
    this.follower = started.follower;
    await this.sync();
    this.synced = true;
  }

  /** Resolves once every record published before this call has been read. */
  async sync(): Promise<void> {
    const id = this.nextId();
    const seen = new Promise<void>((resolve) => this.waiters.set(id, resolve));
    try {
      await this.publish({ k: 'barrier' }, id);
      await withTimeout(seen, this.timeoutMs, () => this.connection.failure(`no answer from stream "${this.stream}"`));
    } finally {
      this.waiters.delete(id);
    }
  }

  /** The committed position of `group`, undefined when it has none (new or deleted). */
  get(group: string): number | undefined {
    const own = this.overlay.get(group);
    return own ? own.position : this.known.get(group)?.position;
  }

  /** Every group the stream has a record of (deleted ones included). */
  groups(): string[] {
    return [...new Set([...this.known.keys(), ...this.overlay.keys()])];
  }

  /** Durably records a group's new position (`create` only sets a group that has none). */
  async write(kind: 'create' | 'commit' | 'seek', group: string, position: number): Promise<void> {
    await this.record({ k: kind, g: group, p: position }, group, position);
  }

  /** Durably records that `group` is deleted. */
  async delete(group: string): Promise<void> {
    await this.record({ k: 'delete', g: group }, group, undefined);
  }

  /** Calls `listener` when another process seeks `group`; returns the function that stops it. */
  watch(group: string, listener: (position: number) => void): () => void {
    this.watchers.set(group, listener);
    return () => {
      if (this.watchers.get(group) === listener) this.watchers.delete(group);
    };
  }

  /** Stops following the stream. */
  async stop(): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    await follower?.close();
  }

  private async record(record: PositionRecord, group: string, position: number | undefined): Promise<void> {
    const id = this.nextId();
    this.overlay.set(group, { position, id });
    try {
      await this.publish(record, id);
    } catch (error) {
      if (this.overlay.get(group)?.id === id) this.overlay.delete(group);
      throw error;
    }
  }

  private read(offset: number, content: Buffer, id: unknown): void {
    const record = parsePositionRecord(content);
    const own = typeof id === 'string' && id.startsWith(`${this.writer}.`);
    if (record) {
      const moved = applyPositionRecord(this.known, record, offset);
      if ('g' in record && own && this.overlay.get(record.g)?.id === id) this.overlay.delete(record.g);
      if (moved && !own && record.k === 'seek') this.watchers.get(record.g)?.(record.p);
      if (record.k === 'snapshot') this.bytesSinceSnapshot = 0;
    }
    if (typeof id === 'string') this.waiters.get(id)?.();
    this.bytesSinceSnapshot += content.length;
    if (this.synced && this.bytesSinceSnapshot >= SNAPSHOT_EVERY_BYTES && !this.snapshotting) {
      this.snapshotting = true;
      this.bytesSinceSnapshot = 0;
      this.publish(snapshotOf(this.known), this.nextId())
        .catch(() => undefined)
        .finally(() => {
          this.snapshotting = false;
        });
    }
  }

  private publish(record: PositionRecord, id: string): Promise<void> {
    const content = Buffer.from(JSON.stringify(record), 'utf8');
    const published = this.publisher.publish([{ exchange: '', routingKey: this.stream, content, options: { messageId: id, persistent: true, mandatory: true } }]);
    return withTimeout(published, this.timeoutMs, () => this.connection.failure(`a position record for stream "${this.stream}" was not confirmed in time`));
  }

  private nextId(): string {
    this.sequence += 1;
    return `${this.writer}.${this.sequence}`;
  }
}
