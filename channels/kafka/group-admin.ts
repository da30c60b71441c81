import { createError } from '../../core/errors.js';
import { fetchCommitted } from './committed-offsets.js';
import type { MemberSettings } from './group-member.js';
import type { PositionSource } from './positions.js';

/** What deleting a group reads of its channel: the admin and protocol clients, the group and its topic. */
type GroupAdminContext = Pick<PositionSource, 'admin' | 'protocol' | 'topic'> & Pick<MemberSettings, 'groupId' | 'sessionTimeoutMs'>;

/** Errors that mean "the group still has members". */
const GROUP_BUSY = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'NON_EMPTY_GROUP']);

/** True when a Kafka error means the group still has (or is taken to have) members. */
export function isGroupBusy(error: unknown): boolean {
  return [(error as { type?: string }).type, ...groupErrorTypes(error)].some((type) => type !== undefined && GROUP_BUSY.has(type));
}

/**
 * Deletes a group that has no member in this process: DeleteGroups, or, on clusters without it
 * (brokers before 1.1, librdkafka's mock), a member-less commit of "no position". Retries while
 * members linger (one that just left or died counts until its session times out).
 */
export async function deleteIdleGroup(context: GroupAdminContext): Promise<void> {
  const { admin, protocol, groupId, topic } = context;
  await whileMembersLinger(context, async () => {
    try {
      await admin.deleteGroups([groupId]);
    } catch (error) {
      const types = groupErrorTypes(error);
      if (types.length > 0 && types.every((type) => type === 'GROUP_ID_NOT_FOUND')) return;
      if ((error as Error).name !== 'KafkaJSServerDoesNotSupportApiKey') throw error;
      const committed = await fetchCommitted(admin, groupId, topic);
      await protocol.commitIdleGroup(groupId, topic, new Map([...committed.keys()].map((partition) => [partition, -1])));
    }
  });
}

async function whileMembersLinger(context: GroupAdminContext, operation: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + context.sessionTimeoutMs + 2000;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!isGroupBusy(error)) throw error;
      if (Date.now() > deadline) {
        throw createError('JUNCTION_REPLAY_INVALID', `kafka group ${context.groupId} is in use by another consumer: stop it first`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** The per-group error types of a kafkajs DeleteGroups failure. */
function groupErrorTypes(error: unknown): string[] {
  const groups = (error as { groups?: { error?: { type?: string } }[] }).groups ?? [];
  return groups.map((group) => group.error?.type ?? 'UNKNOWN');
}
