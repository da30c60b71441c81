import type { CloudEvent } from '../core/cloudevent/index.js';

/** One event in a channel, at a position that only grows. */
export interface ChannelRecord {
  /** Position in the channel log (dense, starts at 0). */
  offset: number;
  /** When the channel made the event durable (ms since epoch). */
  appendedAt: number;
  /** Ordering key (the `partitionkey` extension), when the event has one. */
  key?: string;
  event: CloudEvent;
}

/** A message handed to a consumer; exactly one of ack/nack must be called. */
export interface ChannelMessage extends ChannelRecord {
  /** How many times this message was handed out before in this group (0 on first delivery). */
  redeliveries: number;
  ack(): void;
  /** Gives the message back for redelivery after `delayMs` (default 0). */
  nack(delayMs?: number): void;
}

/** The delay a `nack(delayMs)` asks for, in whole ms: 0 when missing, negative or not a number. */
export function nackDelay(delayMs: number | undefined): number {
  return typeof delayMs === 'number' && Number.isFinite(delayMs) && delayMs > 0 ? Math.floor(delayMs) : 0;
}

export interface ConsumeOptions {
  /** Most messages handed out and not yet acked/nacked (the in-flight bound). */
  maxInFlight: number;
  /** One in flight per key: a message waits while an earlier one with the same key is unacked. */
  orderedByKey?: boolean;
}

/** A running consumer of a group; `close` stops handing out messages (unacked ones are redelivered later). */
export interface Consumer {
  close(): Promise<void>;
}

/** Where to move a group: an offset, or the first event appended at or after a time. */
export type SeekTarget = { offset: number } | { time: number } | 'earliest' | 'latest';

/**
 * A durable, ordered, replayable log with consumer groups: every engine (memory, sqlite, kafka,
 * nats, rabbitmq) implements this and passes test/conformance/channel.suite.ts.
 */
export interface Channel {
  readonly name: string;
  /**
   * Where an engine on a server keeps this channel (e.g. `{ topic: … }`), shown in the status of the
   * broker or channel so operators can find it; absent for the embedded engines.
   */
  readonly location?: Readonly<Record<string, string>>;
  /** Where such an engine keeps consumer group `group` (e.g. `{ 'consumer-group': … }`), for the status of its trigger or subscription. */
  groupLocation?(group: string): Readonly<Record<string, string>>;
  /** Appends events; resolves with their records only once they are durable. */
  append(events: CloudEvent[]): Promise<ChannelRecord[]>;
  /** Starts handing messages of `group` to `handler`; a new group starts at the latest position. */
  consume(group: string, options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer;
  /** Moves a group's position; messages already in flight are not recalled. */
  seek(group: string, target: SeekTarget): Promise<void>;
  /** Events appended and not yet acknowledged by `group` (exact). */
  backlog(group: string): Promise<number>;
  /** Forgets a group and its position. */
  deleteGroup(group: string): Promise<void>;
  /** Releases every handle; pending appends finish first. */
  close(): Promise<void>;
}

/**
 * Optional random-access capability of log-structured engines (memory, sqlite). The broker's
 * dispatcher uses it to read a broker's log once and fan out to every trigger through one index.
 */
export interface LogAccess {
  /** The offset the next appended event will get. */
  head(): number;
  /** The oldest retained offset. */
  tail(): number;
  /** Up to `limit` records from `from` on (fewer at the head). */
  read(from: number, limit: number): ChannelRecord[];
  /** The first offset appended at or after `time` (head when none). */
  offsetAt(time: number): number;
  /** Calls `listener` with each durable batch, in order; returns an unsubscribe function. */
  onAppend(listener: (records: ChannelRecord[]) => void): () => void;
  /** A named durable position (trigger cursors), or undefined. */
  cursor(name: string): number | undefined;
  /** Stores named positions durably (batched). */
  saveCursors(cursors: Map<string, number>): void;
  deleteCursor(name: string): void;
}

/** True when the channel supports random access by offset. */
export function hasLogAccess(channel: Channel): channel is Channel & LogAccess {
  return typeof (channel as Partial<LogAccess>).read === 'function';
}

/** Creates channels of one engine kind; registered by name in the channel registry. */
export interface ChannelFactory {
  readonly kind: string;
  /** Durable engines survive restarts; memory does not. */
  readonly durable: boolean;
  open(name: string, settings: Record<string, unknown>): Promise<Channel>;
  /** Deletes a channel's events and positions for good (its broker/channel resource was deleted). */
  drop?(name: string): Promise<void>;
  /**
   * Engines on a server: undefined while the server is reachable, else why not (no credentials).
   * Brokers and channels on the engine report Ready=False with it until it is back.
   */
  health?(): string | undefined;
  close(): Promise<void>;
}
