import { DeliverPolicy } from 'nats';
import type { NatsHandles } from './connection.js';
import { ensureDurable, type StartPolicy } from './durables.js';
import type { PullConsumer } from './pull-consumer.js';

/** What this process knows about one consumer group of a channel. */
export class GroupState {
  readonly consumers = new Set<PullConsumer>();
  /** True while a seek replaces the durable consumer. */
  moving = false;
  /**
   * Where the durable must start if it has to be created: the latest position for a new group, or
   * the target of a seek that deleted the old durable but could not create the new one.
   */
  private start: StartPolicy = { deliver_policy: DeliverPolicy.New };
  /** The largest room any consumer of the group asked for. */
  private capacity = 0;
  private lock: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly durable: string,
    private readonly stream: string,
    private readonly ackWaitMs: number,
    private readonly maxAckPending: number,
  ) {}

  /** Runs durable-consumer operations of this group one at a time (consume set-up, seek, delete). */
  locked<T>(action: () => Promise<T>): Promise<T> {
    const run = this.lock.then(action, action);
    this.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** The settings a (re)created durable gets: the channel's cap, raised to what consumers need. */
  durableSettings(): { ackWaitMs: number; maxAckPending: number } {
    return { ackWaitMs: this.ackWaitMs, maxAckPending: Math.max(this.maxAckPending, this.capacity) };
  }

  /** Makes sure the durable exists and allows `capacity` unacked messages. */
  ensure(handles: NatsHandles, capacity: number): Promise<void> {
    this.capacity = Math.max(this.capacity, capacity);
    return this.locked(async () => {
      await ensureDurable(handles.jsm, this.stream, this.durable, this.name, this.start, this.durableSettings());
      this.pendingStart();
    });
  }

  /** Remembers where a seek wants the group, for whoever creates the durable next (none: the latest position). */
  pendingStart(start?: StartPolicy): void {
    this.start = start ?? { deliver_policy: DeliverPolicy.New };
  }
}
