import type { Channel } from '../../channels/index.js';
import type { DeliveryContext } from './deliver-record.js';
import { GroupTriggerWorker } from './group-trigger-worker.js';
import type { TriggerTarget } from './trigger-target.js';

const BACKLOG_INTERVAL_MS = 1000;

/**
 * Dispatches a broker whose channel keeps consumer groups itself (kafka, nats, rabbitmq): one group
 * per trigger, as Knative's Kafka and RabbitMQ brokers do, so triggers scale out with the engine.
 */
export class GroupDispatcher {
  private readonly workers = new Map<string, GroupTriggerWorker>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly channel: Channel,
    private readonly context: DeliveryContext,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.refreshBacklog(), BACKLOG_INTERVAL_MS);
    this.timer.unref();
  }

  /** Adds or updates a trigger's worker; a new trigger's group starts at the latest event. */
  upsert(target: TriggerTarget): void {
    const existing = this.workers.get(target.uid);
    if (existing) {
      void existing.update(target).catch((error: Error) => this.logFailure(target, 'trigger update failed', error));
      return;
    }
    this.workers.set(target.uid, new GroupTriggerWorker(target, this.channel, this.context));
  }

  /** Stops a trigger's deliveries; `forget` also deletes its consumer group (trigger deleted). */
  async remove(uid: string, forget: boolean): Promise<void> {
    const worker = this.workers.get(uid);
    if (!worker) return;
    this.workers.delete(uid);
    const { namespace, broker, name } = worker.trigger;
    this.context.metrics.backlog.remove({ namespace, broker, trigger: name });
    await worker.stop(0);
    // Gone for good (deleted, or moved to another broker): so are its series.
    if (forget) await this.context.metrics.forget({ namespace, broker, trigger: name });
    if (forget) await this.channel.deleteGroup(worker.group).catch((error: Error) => this.logFailure(worker.trigger, 'consumer group not deleted', error));
  }

  worker(uid: string): GroupTriggerWorker | undefined {
    return this.workers.get(uid);
  }

  /** Stops every worker, waiting up to `graceMs` for deliveries in flight. */
  async stop(graceMs: number): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.workers.values()].map((worker) => worker.stop(graceMs)));
  }

  private refreshBacklog(): void {
    for (const worker of this.workers.values()) {
      const { namespace, broker, name } = worker.trigger;
      worker.backlog().then(
        (backlog) => {
          if (this.workers.get(worker.trigger.uid) === worker) this.context.metrics.backlog.set({ namespace, broker, trigger: name }, backlog);
        },
        () => undefined, // the engine is unreachable: the broker's readiness reports it
      );
    }
  }

  private logFailure(target: TriggerTarget, message: string, error: Error): void {
    this.context.logger.error({ namespace: target.namespace, trigger: target.name, err: error.message }, message);
  }
}
