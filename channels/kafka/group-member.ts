import type { Batch, Consumer as KafkaConsumer, Kafka } from 'kafkajs';

/** How old the consumer's cluster metadata may get before kafkajs refreshes it. */
const METADATA_MAX_AGE_MS = 10_000;

/** What a member reports to its group. */
export interface MemberEvents {
  /** Joined (or rejoined) with these partitions; fetching is already paused. */
  joined(member: GroupMember, partitions: number[]): void;
  /** kafkajs gave up on this session; `restarting` when kafkajs itself starts it again. */
  crashed(member: GroupMember, error: Error, restarting: boolean): void;
  /** Records fetched for one partition, not made stale by a seek. */
  fetched(member: GroupMember, batch: Batch): void;
}

/** How members of a group connect. */
export interface MemberSettings {
  groupId: string;
  topic: string;
  sessionTimeoutMs: number;
  maxWaitMs: number;
  retries: number;
}

/**
 * This process's membership in a Kafka consumer group: one kafkajs consumer subscribed to the
 * channel's topic, without auto-commit. It pauses fetching synchronously on every join (before
 * kafkajs fetches for the new assignment) so the group can position the partitions first.
 */
export class GroupMember {
  private readonly consumer: KafkaConsumer;

  constructor(
    kafka: Kafka,
    private readonly settings: MemberSettings,
    private readonly events: MemberEvents,
  ) {
    this.consumer = kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: Math.max(100, Math.min(3000, Math.floor(settings.sessionTimeoutMs / 3))),
      maxWaitTimeInMs: settings.maxWaitMs,
      allowAutoTopicCreation: false,
      // kafkajs notices an assignment made from stale metadata (partitions missing, e.g. right after
      // an outage) only when it refreshes metadata: every 10 s instead of its default 5 minutes.
      metadataMaxAge: METADATA_MAX_AGE_MS,
      retry: { retries: settings.retries },
    });
    const topic = settings.topic;
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      this.pause(true);
      this.events.joined(this, event.payload.memberAssignment[topic] ?? []);
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => this.events.crashed(this, event.payload.error, event.payload.restart));
  }

  /** Connects and joins; resolves once the first join was attempted (failures come as `crashed`). */
  async start(): Promise<void> {
    await this.consumer.connect();
    // fromBeginning: when retention deleted a position, kafkajs resumes at the oldest record kept.
    await this.consumer.subscribe({ topics: [this.settings.topic], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: ({ batch, isStale }) => {
        if (!isStale()) this.events.fetched(this, batch);
        return Promise.resolve();
      },
    });
  }

  /** Stops or restarts fetching the topic (false when kafkajs is between sessions). */
  pause(paused: boolean): boolean {
    try {
      if (paused) this.consumer.pause([{ topic: this.settings.topic }]);
      else this.consumer.resume([{ topic: this.settings.topic }]);
      return true;
    } catch {
      return false;
    }
  }

  /** The next fetch of `partition` starts at `offset` (records fetched before are reported stale). */
  seek(partition: number, offset: number): void {
    this.consumer.seek({ topic: this.settings.topic, partition, offset: String(offset) });
  }

  /** Commits positions (partition -> next offset) as a member of the current generation. */
  commit(positions: Map<number, number>): Promise<void> {
    return this.consumer.commitOffsets([...positions].map(([partition, offset]) => ({ topic: this.settings.topic, partition, offset: String(offset) })));
  }

  /** Leaves the group and closes the connections. */
  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
}
