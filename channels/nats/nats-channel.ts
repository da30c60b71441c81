import type { CloudEvent } from '../../core/cloudevent/index.js';
import { createError } from '../../core/errors.js';
import type { Channel, ChannelMessage, ChannelRecord, ConsumeOptions, Consumer, SeekTarget } from '../channel.js';
import { appendBatch, type AppendTarget } from './appender.js';
import type { NatsConnectionHolder, NatsHandles } from './connection.js';
import { deleteDurable, durableBacklog, recreateDurable, startPolicy } from './durables.js';
import { GroupState } from './group-state.js';
import { durableName } from './names.js';
import { natsError } from './nats-errors.js';
import type { NatsChannelSettings } from './nats-options.js';
import { PullConsumer, type GroupHost } from './pull-consumer.js';

/** What a channel shares with its factory. */
export interface NatsChannelContext {
  handles: NatsHandles;
  connection: NatsConnectionHolder;
  target: AppendTarget;
  settings: NatsChannelSettings;
  requestTimeoutMs: number;
  /** Background failures (a consumer that cannot reach the server…), already free of credentials. */
  report: (error: Error) => void;
}

/**
 * A channel on one JetStream stream. Offsets are stream sequences − 1 (dense from 0 on a fresh
 * stream), appendedAt is the time the stream stored the event, and each consumer group is a
 * durable pull consumer named after the group. After `close`, calls reject with JUNCTION_SHUTTING_DOWN.
 */
export class NatsChannel implements Channel {
  private readonly groups = new Map<string, GroupState>();
  /** Subscriptions of closed consumers still waiting for their last pull request to end. */
  private readonly lingering = new Set<() => void>();
  private readonly appends = new Set<Promise<unknown>>();
  /** First set-up of consumers started by `consume`: appends wait for them, so a new group sees them. */
  private readonly starting = new Set<Promise<void>>();
  private closing: Promise<void> | undefined;

  get location(): Readonly<Record<string, string>> {
    return { stream: this.context.target.names.stream, subject: this.context.target.names.subject };
  }

  groupLocation(group: string): Readonly<Record<string, string>> {
    return { consumer: durableName(group) };
  }

  constructor(
    readonly name: string,
    private readonly context: NatsChannelContext,
    private readonly onClosed: () => void,
  ) {}

  append(events: CloudEvent[]): Promise<ChannelRecord[]> {
    if (this.closing) return Promise.reject(this.closedError());
    if (events.length === 0) return Promise.resolve([]);
    const work = (async () => {
      if (this.starting.size > 0) await Promise.all([...this.starting]);
      return appendBatch(this.context.handles, this.context.target, events);
    })();
    this.appends.add(work);
    const forget = (): void => void this.appends.delete(work);
    work.then(forget, forget);
    return work;
  }

  consume(group: string, options: ConsumeOptions, handler: (message: ChannelMessage) => void): Consumer {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
      throw createError('JUNCTION_BAD_REQUEST', `maxInFlight must be a positive integer (got ${String(options.maxInFlight)})`);
    }
    if (this.closing) throw this.closedError();
    const state = this.group(group);
    const consumer = new PullConsumer(this.host(state), options, handler);
    state.consumers.add(consumer);
    this.starting.add(consumer.started);
    void consumer.started.then(() => this.starting.delete(consumer.started));
    return consumer;
  }

  seek(group: string, target: SeekTarget): Promise<void> {
    if (this.closing) return Promise.reject(this.closedError());
    let start;
    try {
      start = startPolicy(target);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const state = this.group(group);
    const { jsm } = this.context.handles;
    return state.locked(async () => {
      state.moving = true;
      try {
        state.pendingStart(start);
        await recreateDurable(jsm, this.context.target.names.stream, state.durable, group, start, state.durableSettings());
        state.pendingStart();
      } catch (error) {
        throw natsError(this.context.target.address, `seek group ${group}`, error);
      } finally {
        state.moving = false;
        for (const consumer of state.consumers) consumer.restart();
      }
    });
  }

  async backlog(group: string): Promise<number> {
    if (this.closing) throw this.closedError();
    try {
      // Acks are sent without confirmation: a flush makes sure the server has them all.
      this.context.handles.replies.sendQueued();
      await this.context.handles.nc.flush();
      return await durableBacklog(this.context.handles.jsm, this.context.target.names.stream, durableName(group));
    } catch (error) {
      throw natsError(this.context.target.address, `backlog of group ${group}`, error);
    }
  }

  async deleteGroup(group: string): Promise<void> {
    if (this.closing) throw this.closedError();
    const state = this.group(group);
    await Promise.all([...state.consumers].map((consumer) => consumer.close()));
    try {
      await state.locked(() => deleteDurable(this.context.handles.jsm, this.context.target.names.stream, state.durable));
    } catch (error) {
      throw natsError(this.context.target.address, `delete group ${group}`, error);
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const states = [...this.groups.values()];
      await Promise.all(states.flatMap((state) => [...state.consumers].map((consumer) => consumer.close())));
      await Promise.allSettled([...this.appends]);
      this.context.handles.replies.sendQueued();
      await this.context.handles.nc.flush().catch(() => undefined); // the acks sent so far reach the server
      for (const stop of [...this.lingering]) stop();
      this.onClosed();
    })();
    return this.closing;
  }

  private group(name: string): GroupState {
    let state = this.groups.get(name);
    if (!state) {
      const { settings, target } = this.context;
      state = new GroupState(name, durableName(name), target.names.stream, settings.ackWaitMs, settings.maxAckPending);
      this.groups.set(name, state);
    }
    return state;
  }

  private host(state: GroupState): GroupHost {
    const { handles, connection, target, settings, requestTimeoutMs, report } = this.context;
    return {
      nc: handles.nc,
      replies: handles.replies,
      stream: target.names.stream,
      durable: state.durable,
      ackWaitMs: settings.ackWaitMs,
      requestTimeoutMs,
      isMoving: () => state.moving,
      ensureGroup: (capacity) => state.ensure(handles, capacity),
      onReconnect: (listener) => connection.onReconnect(listener),
      report: (error) => report(natsError(target.address, `consumer group ${state.name} of ${target.names.stream}`, error)),
      removed: (consumer) => void state.consumers.delete(consumer),
      linger: (stop) => {
        this.lingering.add(stop);
        return () => void this.lingering.delete(stop);
      },
    };
  }

  private closedError(): Error {
    return createError('JUNCTION_SHUTTING_DOWN', `channel "${this.name}" is closed`);
  }
}
