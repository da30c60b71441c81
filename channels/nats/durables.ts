import { AckPolicy, DeliverPolicy, nanos, ReplayPolicy, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from 'nats';
import { createError } from '../../core/errors.js';
import type { SeekTarget } from '../channel.js';
import { isApiError, JS_CONSUMER_NOT_FOUND } from './nats-errors.js';
import { streamInfo } from './stream-setup.js';

/** Where a durable consumer starts: the JetStream deliver policy of a seek target. */
export type StartPolicy = Pick<ConsumerConfig, 'deliver_policy' | 'opt_start_seq' | 'opt_start_time'>;

/** The group settings that shape its durable consumer. */
export interface DurableSettings {
  ackWaitMs: number;
  /** Group-wide cap on unacknowledged messages. */
  maxAckPending: number;
}

/** The deliver policy for a seek target: offset n is stream sequence n + 1. */
export function startPolicy(target: SeekTarget): StartPolicy {
  if (target === 'earliest') return { deliver_policy: DeliverPolicy.All };
  if (target === 'latest') return { deliver_policy: DeliverPolicy.New };
  if (typeof target === 'object' && target !== null) {
    if ('offset' in target && Number.isSafeInteger(target.offset)) {
      return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Math.max(0, target.offset) + 1 };
    }
    if ('time' in target && Number.isFinite(target.time)) {
      return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(Math.max(0, target.time)).toISOString() };
    }
  }
  throw createError('JUNCTION_REPLAY_INVALID', `invalid seek target ${JSON.stringify(target)}: use {offset}, {time}, "earliest" or "latest"`);
}

function durableConfig(durable: string, group: string, start: StartPolicy, settings: DurableSettings): Partial<ConsumerConfig> {
  return {
    durable_name: durable,
    description: `Junction consumer group ${group}`,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(settings.ackWaitMs),
    max_deliver: -1,
    max_ack_pending: settings.maxAckPending,
    replay_policy: ReplayPolicy.Instant,
    ...start,
  };
}

/** The durable's info, or undefined when it does not exist. */
export async function durableInfo(jsm: JetStreamManager, stream: string, durable: string): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, durable);
  } catch (error) {
    if (isApiError(error, JS_CONSUMER_NOT_FOUND)) return undefined;
    throw error;
  }
}

/**
 * The group's durable pull consumer, created at `start` when it does not exist yet (an existing one
 * keeps its position). Its max_ack_pending is raised to `settings.maxAckPending` when lower (never
 * lowered: other replicas may need it) and its ack wait follows the channel's setting.
 */
export async function ensureDurable(jsm: JetStreamManager, stream: string, durable: string, group: string, start: StartPolicy, settings: DurableSettings): Promise<ConsumerInfo> {
  let info = await durableInfo(jsm, stream, durable);
  if (!info) {
    try {
      return await jsm.consumers.add(stream, durableConfig(durable, group, start, settings));
    } catch (error) {
      // Created concurrently by another consumer of the group: use that one.
      info = await durableInfo(jsm, stream, durable);
      if (!info) throw error;
    }
  }
  const current = info.config.max_ack_pending ?? -1;
  const raise = current !== -1 && current < settings.maxAckPending;
  const ackWait = nanos(settings.ackWaitMs);
  if (raise || info.config.ack_wait !== ackWait) {
    return jsm.consumers.update(stream, durable, { max_ack_pending: raise ? settings.maxAckPending : current, ack_wait: ackWait });
  }
  return info;
}

/**
 * Moves a group by replacing its durable consumer with one that starts at `start` (JetStream
 * cannot change a consumer's deliver policy in place). The group-wide cap is kept when larger.
 */
export async function recreateDurable(jsm: JetStreamManager, stream: string, durable: string, group: string, start: StartPolicy, settings: DurableSettings): Promise<void> {
  const old = await durableInfo(jsm, stream, durable);
  if (old) await deleteDurable(jsm, stream, durable);
  const oldCap = old?.config.max_ack_pending ?? 0;
  const maxAckPending = oldCap === -1 ? -1 : Math.max(settings.maxAckPending, oldCap);
  await jsm.consumers.add(stream, durableConfig(durable, group, start, { ...settings, maxAckPending }));
}

/** Deletes a group's durable consumer (nothing when it does not exist). */
export async function deleteDurable(jsm: JetStreamManager, stream: string, durable: string): Promise<void> {
  try {
    await jsm.consumers.delete(stream, durable);
  } catch (error) {
    if (!isApiError(error, JS_CONSUMER_NOT_FOUND)) throw error;
  }
}

/**
 * Events after the group's committed position: those not delivered yet (num_pending) plus those
 * delivered above the ack floor — the floor only moves over an acked prefix, so an ack out of order
 * does not shrink the backlog until the gap below it is acked too. 0 for a group that does not exist.
 */
export async function durableBacklog(jsm: JetStreamManager, stream: string, durable: string): Promise<number> {
  const [info, stream_] = await Promise.all([durableInfo(jsm, stream, durable), streamInfo(jsm, stream)]);
  if (!info) return 0;
  // Events removed by retention are not backlog, even when they were never acked.
  const floor = Math.max(info.ack_floor.stream_seq, (stream_?.state.first_seq ?? 1) - 1);
  return info.num_pending + Math.max(0, info.delivered.stream_seq - floor);
}
