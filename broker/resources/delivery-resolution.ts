import type { ResourceService } from '../../core/resources/index.js';
import { resolveDeliveryPolicy, type DeliveryPolicy, type DeliverySpec } from '../delivery/index.js';
import { resolveDestination } from './destination-resolver.js';

/**
 * The delivery policy of a trigger or subscription over its parent's defaults (broker or channel),
 * with the dead-letter sink (own, else the parent's) resolved to a URL. Throws when that sink's
 * `ref` cannot be resolved (the caller reports it as a condition).
 */
export function resolveDelivery(resources: ResourceService, own: DeliverySpec | undefined, defaults: DeliverySpec | undefined, namespace: string): { policy: DeliveryPolicy; deadLetterUri?: string } {
  const deadLetter = own?.deadLetterSink ?? defaults?.deadLetterSink;
  const deadLetterUri = deadLetter ? resolveDestination(resources, deadLetter, namespace) : undefined;
  const withSink = (delivery: DeliverySpec | undefined) => (delivery && deadLetterUri && delivery.deadLetterSink ? { ...delivery, deadLetterSink: { uri: deadLetterUri } } : delivery);
  const policy = resolveDeliveryPolicy(withSink(own), withSink(defaults));
  return deadLetterUri ? { policy, deadLetterUri } : { policy };
}
