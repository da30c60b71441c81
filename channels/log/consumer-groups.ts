import { createError } from '../../core/errors.js';
import type { ChannelMessage, ConsumeOptions, Consumer, LogAccess, SeekTarget } from '../channel.js';
import { Group, type GroupHost } from './group.js';

/** How long a changed group position may stay unsaved (acks are persisted in batches). */
const SAVE_DELAY_MS = 200;

/** The cursor under which a group's committed position is stored. */
export function groupCursorName(group: string): string {
  return `group:${group}`;
}

/**
 * Consumer groups on top of any `LogAccess`: the one implementation of consume/seek/backlog/
 * deleteGroup shared by the log-structured engines, which only implement storage.
 */
export class ConsumerGroups implements GroupHost {
  private readonly groups = new Map<string, Group>();
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly log: LogAccess) {}

  /** Adds a consumer to `group` (created at the head when it has no stored position). */
  consume(group: string, options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
      throw createError('JUNCTION_BAD_REQUEST', `maxInFlight must be a positive integer (got ${String(options.maxInFlight)})`);
    }
    return this.load(group, true).addConsumer(options, handler);
  }

  /** Moves `group` to `target` and persists the new position. */
  seek(group: string, target: SeekTarget): void {
    const offset = this.resolve(target);
    this.load(group, true).seek(offset);
    this.flush();
  }

  /** Records appended and not yet acked by `group`; 0 for a group that does not exist yet. */
  backlog(group: string): number {
    const state = this.load(group, false);
    return state ? Math.max(0, this.log.head() - state.position()) : 0;
  }

  /** Stops the group's consumers here and forgets its position. */
  deleteGroup(group: string): void {
    this.groups.get(group)?.stop();
    this.groups.delete(group);
    this.log.deleteCursor(groupCursorName(group));
  }

  markDirty(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, SAVE_DELAY_MS);
    this.timer.unref();
  }

  flush(): void {
    const changed = new Map<string, number>();
    for (const group of this.groups.values()) {
      const position = group.unsavedPosition();
      if (position === undefined) continue;
      changed.set(groupCursorName(group.name), position);
      group.markSaved(position);
    }
    if (changed.size > 0) this.log.saveCursors(changed);
  }

  /** Stops every consumer and saves every position. */
  close(): void {
    for (const group of this.groups.values()) group.stop();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  private load(name: string, create: true): Group;
  private load(name: string, create: boolean): Group | undefined;
  private load(name: string, create: boolean): Group | undefined {
    const existing = this.groups.get(name);
    if (existing) return existing;
    const cursor = this.log.cursor(groupCursorName(name));
    if (cursor === undefined && !create) return undefined;
    const group = new Group(name, this, cursor ?? this.log.head(), cursor);
    this.groups.set(name, group);
    // A new group starts at the head: pin that position now so a restart does not skip events.
    if (cursor === undefined) this.flush();
    return group;
  }

  private resolve(target: SeekTarget): number {
    if (target === 'earliest') return this.log.tail();
    if (target === 'latest') return this.log.head();
    if (typeof target === 'object' && target !== null) {
      if ('offset' in target && Number.isInteger(target.offset)) {
        return Math.min(Math.max(target.offset, this.log.tail()), this.log.head());
      }
      if ('time' in target && Number.isFinite(target.time)) return this.log.offsetAt(target.time);
    }
    throw createError('JUNCTION_REPLAY_INVALID', `invalid seek target ${JSON.stringify(target)}: use {offset}, {time}, "earliest" or "latest"`);
  }
}
