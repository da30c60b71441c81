import type { Logger } from 'pino';
import type { ChannelRecord } from '../../channels/index.js';
import { inheritTraceContext, type CloudEvent } from '../../core/cloudevent/index.js';
import type { Deliverer, DeliveryLane } from '../delivery/index.js';
import type { BrokerMetrics } from '../metrics.js';
import type { TriggerTarget } from './trigger-target.js';

/** What one delivery needs from its dispatcher. */
export interface DeliveryContext {
  /** Where each worker takes its own lane (connections no other trigger can use up). */
  deliverer: Deliverer;
  metrics: BrokerMetrics;
  logger: Logger;
  /** Publishes a subscriber's reply into the broker (TTL handled there). */
  publishReply(reply: CloudEvent, original: CloudEvent): Promise<void>;
}

/**
 * Delivers one record to a trigger's subscriber through the trigger's own `lane` with its delivery
 * policy (retries, dead letter), counts the outcome and publishes a reply. Resolves true when the
 * record is finished (delivered, dead-lettered or given up) so its position may advance; false when
 * `signal` aborted it, or `backoffSignal` ended its wait for a retry, in which case it must be
 * delivered again later.
 */
export async function deliverRecord(
  target: TriggerTarget,
  record: ChannelRecord,
  lane: DeliveryLane,
  context: DeliveryContext,
  signal: AbortSignal,
  backoffSignal?: AbortSignal,
): Promise<boolean> {
  const labels = { namespace: target.namespace, broker: target.broker, trigger: target.name };
  try {
    const result = await lane.deliver(record.event, target.subscriberUrl, target.policy, signal, target.namespace, backoffSignal);
    if (signal.aborted) return false;
    if (result.attempts > 1) context.metrics.retried.inc(labels, result.attempts - 1);
    if (result.outcome === 'delivered') {
      context.metrics.delivered.inc(labels);
      context.metrics.latency.observe({ namespace: target.namespace, broker: target.broker }, (Date.now() - record.appendedAt) / 1000);
      if (result.reply) {
        inheritTraceContext(result.reply, record.event);
        if (target.reply) await target.reply(result.reply, record.event, lane, signal, backoffSignal);
        else await context.publishReply(result.reply, record.event);
      }
    } else if (result.outcome === 'dead-lettered') {
      context.metrics.deadLettered.inc(labels);
    } else {
      context.metrics.failed.inc(labels);
      context.logger.error(
        { namespace: target.namespace, trigger: target.name, eventId: record.event.id, status: result.status, error: result.error },
        'event given up after retries (no working dead-letter sink)',
      );
    }
    return true;
  } catch (error) {
    if (signal.aborted || backoffSignal?.aborted) return false;
    context.logger.error({ namespace: target.namespace, trigger: target.name, err: (error as Error).message }, 'delivery crashed');
    return true;
  }
}
