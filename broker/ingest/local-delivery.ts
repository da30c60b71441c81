import type { CloudEvent } from '../../core/cloudevent/index.js';
import { isJunctionError, toProblem, type ErrorCode } from '../../core/errors.js';
import { isRetryableStatus } from '../delivery/classify.js';
import type { DelivererOptions, LocalAttempt } from '../delivery/types.js';
import type { IngestService } from './ingest-service.js';
import { ownIngressTarget, type IngressTarget } from './own-ingress.js';

/**
 * Refusals that are not retried: the target does not exist. (Over HTTP the same 404 is retried, by
 * Knative's rule for unknown hosts; in-process Junction knows it is its own answer.)
 */
const FINAL_REFUSALS: ReadonlySet<ErrorCode> = new Set(['JUNCTION_BROKER_NOT_FOUND', 'JUNCTION_CHANNEL_NOT_FOUND']);

/**
 * The Deliverer's `local` hook for Junction itself: a delivery on behalf of a namespace to that
 * namespace's broker or channel on this Junction's own ingress (`ownOrigin()`) is appended
 * in-process through `ingest()` (quotas and metrics included) instead of over loopback HTTP with
 * an internal token. Deliveries into another namespace, or anywhere else, are declined and go
 * over HTTP (where auth decides).
 */
export function localDelivery(ingest: () => IngestService, ownOrigin: () => string | undefined): NonNullable<DelivererOptions['local']> {
  return (event, target, namespace) => {
    const origin = ownOrigin();
    if (origin === undefined || namespace === undefined) return undefined;
    const ingressTarget = ownIngressTarget(target, origin);
    if (!ingressTarget || ingressTarget.namespace !== namespace) return undefined;
    return ingestOne(ingest(), ingressTarget, event);
  };
}

/** Appends a copy of the event (the dispatcher keeps the original for retries and other triggers). */
async function ingestOne(ingest: IngestService, target: IngressTarget, event: CloudEvent): Promise<LocalAttempt> {
  try {
    await ingest.into(target, [{ ...event }]);
    return { ok: true, status: 202 };
  } catch (error) {
    const problem = toProblem(error);
    return {
      ok: false,
      status: problem.status,
      retryable: !FINAL_REFUSALS.has(problem.code) && isRetryableStatus(problem.status),
      retryAfter: isJunctionError(error) ? error.headers['retry-after'] : undefined,
      body: JSON.stringify(problem),
      error: `${target.kind} ${target.namespace}/${target.name} refused the event (${problem.code}): ${problem.detail}`,
      code: 'JUNCTION_DELIVERY_FAILED',
    };
  }
}
