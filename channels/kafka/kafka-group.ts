import type { Batch, Kafka, KafkaMessage } from 'kafkajs';
import { backoffDelay, type BackoffPolicy } from '../../core/backoff/index.js';
import type { ChannelMessage, ChannelRecord, ConsumeOptions, Consumer } from '../channel.js';
import { recordKey } from '../log/record-key.js';
import { CommitLoop } from './commit-loop.js';
import { committedPosition, fetchCommitted, positionsAfterJoin } from './committed-offsets.js';
import { FetchWatchdog } from './fetch-watchdog.js';
import { deleteIdleGroup, isGroupBusy } from './group-admin.js';
import { GroupDispatch } from './group-dispatch.js';
import { GroupMember, type MemberSettings } from './group-member.js';
import { kafkaClosed, kafkaUnavailable } from './kafka-errors.js';
import type { KafkaEngineLogger } from './kafka-logging.js';
import { fetchWatermarks, latestPositions, type PositionSource, type Watermarks } from './positions.js';
import { decodeRecord } from './record-codec.js';

/** Fetched-but-unacked records above which fetching pauses, and below which it resumes. */
const PAUSE_AT = 8192;
const RESUME_BELOW = 4096;
/** The `committed` of a cursor a seek created, until its position is committed. */
const SEEK_UNCOMMITTED = -3;
/** Delay before a member that kafkajs gave up on is started again. */
const RESTART_DELAY_MS = 1000;
/** Pauses between attempts to position the group after a join: 500 ms, doubling up to 5 s. */
const POSITION_BACKOFF: BackoffPolicy = { kind: 'exponential', baseMs: 250, maxMs: 5000 };

/** What a group needs from its channel. */
export interface GroupContext extends PositionSource, MemberSettings {
  kafka: Kafka;
  brokers: string[];
  /** A partition with records waiting and nothing fetched for this long makes the member rejoin. */
  fetchStallMs: number;
  logger?: KafkaEngineLogger;
}

/**
 * A consumer group of a kafka channel in this process: one Kafka group member while the group
 * has local consumers, feeding a dispatcher that shares records among them. On every (re)join
 * the member's partitions are positioned before fetching resumes: at this process's own progress
 * when Kafka's committed offsets are still the ones it committed, else at the committed offset,
 * else (a new group) at the latest position as of the first `consume`. Acked prefixes are committed.
 */
export class KafkaGroup {
  private readonly dispatch: GroupDispatch;
  private readonly commits: CommitLoop;
  private readonly watchdog: FetchWatchdog;
  private member: GroupMember | undefined;
  /** Positions are applied for the member's current assignment (commits and seeks may go ahead). */
  private applied = false;
  private waiters: (() => void)[] = [];
  private assigned: number[] = [];
  private joins = 0;
  private pausedForJoin = false;
  private pausedFull = false;
  private pin: Promise<Map<number, number>> | undefined;
  private lifecycle: Promise<unknown> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly context: GroupContext) {
    this.dispatch = new GroupDispatch(
      { changed: () => this.onChanged(), membership: () => this.reconcile() },
      (partition, message) => this.decode(partition, message),
    );
    this.commits = new CommitLoop(() => this.commitOnce(), (error) => this.warn(error, 'offset commit failed; retrying'));
    this.watchdog = new FetchWatchdog(context.fetchStallMs, {
      fetching: () => this.member !== undefined && this.applied && !this.pausedForJoin && !this.pausedFull,
      partitions: () => this.assigned,
      next: (partition) => this.dispatch.cursor(partition)?.next,
      watermarks: () => fetchWatermarks(this.context),
      stalled: (partitions, windowMs) => {
        this.context.logger?.warn(
          { engine: 'kafka', groupId: this.context.groupId, topic: this.context.topic, partitions, windowMs },
          'records wait in partitions the consumer has not fetched from; rejoining the group',
        );
        this.restartNow();
      },
    });
  }

  /** Adds a local consumer; the first one joins the Kafka group (and pins "latest" for a new group now). */
  consume(options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer {
    if (this.closed) throw kafkaClosed('the kafka channel');
    if (this.dispatch.consumerCount === 0) {
      this.pin = latestPositions(this.context);
      this.pin.catch(() => undefined);
    }
    return this.dispatch.addConsumer(options, handler);
  }

  /**
   * Moves the group to `targets` (partition -> Kafka offset) and commits that position: through
   * this process's member when it has one, else by a member-less commit, else (the group still
   * has members elsewhere, or the cluster keeps departed ones) by joining the group briefly.
   */
  seek(targets: Map<number, number>): Promise<void> {
    if (this.closed) return Promise.reject(kafkaClosed('the kafka channel'));
    return this.enqueue(async () => {
      if (!this.member) {
        this.dispatch.reset(new Map());
        try {
          await this.context.protocol.commitIdleGroup(this.context.groupId, this.context.topic, targets);
          return;
        } catch (error) {
          if (!isGroupBusy(error)) throw error;
        }
        await this.startMember();
      }
      try {
        await this.whenApplied();
        await this.seekAsMember(targets);
      } finally {
        if (this.dispatch.consumerCount === 0) await this.stopMember();
      }
    });
  }

  /** Records appended and not yet acked: local progress where this process consumes, committed offsets elsewhere. */
  async backlog(marks: Watermarks): Promise<number> {
    const local = this.member !== undefined && this.applied;
    let committed: Map<number, number> | undefined;
    let total = 0;
    for (const [partition, range] of marks) {
      let position = local ? this.dispatch.cursor(partition)?.position() : undefined;
      if (position === undefined) {
        committed ??= await this.committedOffsets();
        // Nothing committed: a new group, which starts at the latest position.
        position = committedPosition(committed.get(partition), range) ?? range.high;
      }
      total += Math.max(0, range.high - Math.max(position, range.low));
    }
    return total;
  }

  /** Stops the group's consumers here and deletes the Kafka group (its committed offsets). */
  async delete(): Promise<void> {
    this.dispatch.stop();
    await this.enqueue(() => this.stopMember());
    this.dispatch.reset(new Map());
    await deleteIdleGroup(this.context);
  }

  /** Stops every consumer, commits what was acked and leaves the Kafka group. */
  async close(): Promise<void> {
    this.closed = true;
    this.dispatch.stop();
    await this.enqueue(() => this.stopMember());
    this.commits.stop();
  }

  private reconcile(): Promise<void> {
    return this.enqueue(() => (this.dispatch.consumerCount > 0 && !this.closed ? this.startMember() : this.stopMember())).catch((error: unknown) =>
      this.warn(error, 'consumer could not be started or stopped'),
    );
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const run = this.lifecycle.then(operation, operation);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  private async startMember(): Promise<void> {
    if (this.member) return;
    const member = new GroupMember(this.context.kafka, this.context, {
      joined: (joined, partitions) => this.onJoin(joined, partitions),
      crashed: (crashed, error, restarting) => this.onCrash(crashed, error, restarting),
      fetched: (from, batch) => this.onFetched(from, batch),
    });
    this.member = member;
    this.applied = false;
    try {
      await member.start();
    } catch (error) {
      this.warn(error, 'consumer could not start; retrying');
      this.scheduleRestart();
    }
  }

  private async stopMember(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.watchdog.stop();
    const member = this.member;
    if (!member) return;
    if (this.applied) await this.commits.flush();
    this.member = undefined;
    this.applied = false;
    await member.disconnect().catch((error: unknown) => this.warn(error, 'consumer did not disconnect cleanly'));
  }

  private scheduleRestart(): void {
    if (this.restartTimer || this.closed) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restartNow();
    }, RESTART_DELAY_MS);
  }

  /** Leaves the group (committing what was acked) and joins again with a new member. */
  private restartNow(): void {
    this.enqueue(async () => {
      await this.stopMember();
      if (this.dispatch.consumerCount > 0 && !this.closed) await this.startMember();
    }).catch((error: unknown) => this.warn(error, 'consumer could not be restarted'));
  }

  private onCrash(member: GroupMember, error: Error, restarting: boolean): void {
    if (member !== this.member) return;
    this.applied = false;
    this.warn(error, restarting ? 'consumer crashed; kafkajs restarts it' : 'consumer crashed; restarting it');
    if (!restarting) this.scheduleRestart();
  }

  private onJoin(member: GroupMember, partitions: number[]): void {
    if (member !== this.member) return;
    this.applied = false;
    this.pausedForJoin = true;
    this.assigned = [...partitions].sort((a, b) => a - b);
    void this.applyJoin(member, ++this.joins);
  }

  private async applyJoin(member: GroupMember, join: number): Promise<void> {
    const current = (): boolean => member === this.member && join === this.joins;
    for (let attempt = 1; current(); attempt += 1) {
      try {
        const committed = await this.committedOffsets();
        if (!current()) return;
        if (!this.canKeep(committed)) {
          const positions = await positionsAfterJoin(this.context, this.assigned, committed, () => this.startPositions());
          if (!current()) return;
          this.dispatch.reset(positions);
        }
        for (const cursor of this.dispatch.cursors()) member.seek(cursor.partition, cursor.next);
        this.applied = true;
        this.pausedForJoin = false;
        this.updatePause();
        this.watchdog.start();
        for (const wake of this.waiters.splice(0)) wake();
        this.commits.schedule();
        return;
      } catch (error) {
        this.warn(error, 'could not position the group after a join; retrying');
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(POSITION_BACKOFF, attempt)));
      }
    }
  }

  /** True when this process's progress still matches what Kafka has committed for exactly these partitions. */
  private canKeep(committed: Map<number, number>): boolean {
    const cursors = this.dispatch.cursors();
    if (cursors.length === 0 || cursors.length !== this.assigned.length) return false;
    return cursors.every((cursor) => this.assigned.includes(cursor.partition) && cursor.committed === (committed.get(cursor.partition) ?? -1));
  }

  private async startPositions(): Promise<Map<number, number>> {
    const pin = this.pin;
    this.pin = undefined;
    try {
      if (pin) return await pin;
    } catch {
      // Pinning failed (the cluster was unreachable then): the latest position now is the best left.
    }
    return latestPositions(this.context);
  }

  private async seekAsMember(targets: Map<number, number>): Promise<void> {
    const member = this.member as GroupMember;
    const local = new Map<number, { next: number; committed: number }>();
    const elsewhere = new Map<number, number>();
    for (const [partition, offset] of targets) {
      if (this.assigned.includes(partition)) local.set(partition, { next: offset, committed: SEEK_UNCOMMITTED });
      else elsewhere.set(partition, offset);
    }
    this.dispatch.reset(local);
    for (const [partition, { next }] of local) member.seek(partition, next);
    // Partitions another process holds: committed here, taken up by their owner at its next join.
    if (elsewhere.size > 0) await member.commit(elsewhere);
    await this.commits.flush();
    // A seek that is not committed would be undone by the next rebalance: report it instead.
    if (this.dispatch.cursors().some((cursor) => cursor.committed === SEEK_UNCOMMITTED)) {
      throw kafkaUnavailable(new Error('the new position could not be committed'), `seek of group ${this.context.groupId}`, this.context.brokers);
    }
  }

  private whenApplied(): Promise<void> {
    if (this.applied) return Promise.resolve();
    const waitMs = Math.max(30_000, 2 * this.context.sessionTimeoutMs);
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== wake);
        reject(kafkaUnavailable(new Error(`group ${this.context.groupId} did not join within ${waitMs} ms`), 'joining the group', this.context.brokers));
      }, waitMs);
      this.waiters.push(wake);
    });
  }

  private onFetched(member: GroupMember, batch: Batch): void {
    if (member !== this.member || !this.applied) return;
    this.watchdog.fed(batch.partition);
    this.dispatch.intake(batch.partition, batch.messages, Number(batch.lastOffset()));
    this.updatePause();
  }

  private onChanged(): void {
    this.commits.schedule();
    if (this.pausedFull) this.updatePause();
  }

  /** Pauses fetching while positions are being applied or too many records wait for acks. */
  private updatePause(): void {
    if (this.dispatch.outstanding >= PAUSE_AT) this.pausedFull = true;
    else if (this.dispatch.outstanding < RESUME_BELOW) this.pausedFull = false;
    this.member?.pause(this.pausedForJoin || this.pausedFull);
  }

  private async commitOnce(): Promise<void> {
    const member = this.member;
    if (!member || !this.applied) return;
    const pending = this.dispatch.cursors().filter((cursor) => cursor.position() !== cursor.committed);
    if (pending.length === 0) return;
    const positions = new Map(pending.map((cursor) => [cursor.partition, cursor.position()]));
    await member.commit(positions);
    for (const cursor of pending) cursor.committed = positions.get(cursor.partition) as number;
  }

  private committedOffsets(): Promise<Map<number, number>> {
    return fetchCommitted(this.context.admin, this.context.groupId, this.context.topic);
  }

  private decode(partition: number, message: KafkaMessage): ChannelRecord | undefined {
    const event = decodeRecord(message.headers, message.value);
    if (!event) {
      this.context.logger?.warn({ engine: 'kafka', topic: this.context.topic, partition, offset: message.offset }, 'skipped a record that is not a CloudEvent');
      return undefined;
    }
    const record: ChannelRecord = { offset: this.context.offsets.encode(partition, Number(message.offset)), appendedAt: Number(message.timestamp), event };
    const key = recordKey(event);
    if (key !== undefined) record.key = key;
    return record;
  }

  private warn(error: unknown, message: string): void {
    this.context.logger?.warn({ engine: 'kafka', groupId: this.context.groupId, err: error instanceof Error ? error.message : String(error) }, message);
  }
}
