import type { DeciderSpec } from './annotations.js';
import { MaxWindow } from './timed-buckets.js';

/** What the KPA observed at one tick: averages over the stable and panic windows, and ready replicas. */
export interface Observation {
  /** Average concurrency (or requests/s) over the stable window. */
  stable: number;
  /** The same over the panic window. */
  panic: number;
  readyReplicas: number;
  /** False while the revision receives no traffic (Knative's "unreachable": it may scale down at any rate). */
  reachable: boolean;
}

/** A KPA decision (Knative's ScaleResult). */
export interface ScaleDecision {
  desired: number;
  /** Capacity beyond the target burst; negative: the activator should stay in the request path. */
  excessBurstCapacity: number;
  panicking: boolean;
}

/**
 * Knative's KPA decider for one revision (pkg/autoscaler/scaling/autoscaler.go): desired replicas
 * = ceil(observed / target) per window, kept within what the scale-up and scale-down rates allow
 * from the ready count; panic mode begins when the panic window's demand is ≥ the threshold times
 * the ready replicas, keeps the highest count while it lasts (never scaling down) and ends a stable
 * window after the last time it was over; a scale-down delay takes the maximum over its window.
 * Pure: time comes in as `now`, observations as arguments.
 */
export class KpaDecider {
  #panicTime: number | undefined;
  #maxPanicPods = 0;
  readonly #delay: MaxWindow | undefined;

  constructor(private readonly spec: DeciderSpec) {
    this.#delay = spec.scaleDownDelayMs > 0 ? new MaxWindow(spec.scaleDownDelayMs) : undefined;
  }

  /** One tick's decision. */
  decide(now: number, observation: Observation): ScaleDecision {
    const { spec } = this;
    const ready = Math.max(1, observation.readyReplicas);
    const maxScaleUp = Math.ceil(spec.maxScaleUpRate * ready);
    const maxScaleDown = observation.reachable ? Math.floor(ready / spec.maxScaleDownRate) : 0;
    const stablePods = Math.ceil(observation.stable / spec.targetValue);
    const panicPods = Math.ceil(observation.panic / spec.targetValue);
    let desiredStable = Math.min(Math.max(stablePods, maxScaleDown), maxScaleUp);
    let desiredPanic = Math.min(Math.max(panicPods, maxScaleDown), maxScaleUp);
    if (spec.activationScale > 1) {
      if (stablePods > 0 && spec.activationScale > desiredStable) desiredStable = spec.activationScale;
      if (panicPods > 0 && spec.activationScale > desiredPanic) desiredPanic = spec.activationScale;
    }

    const overPanicThreshold = panicPods / ready >= spec.panicThreshold;
    if (overPanicThreshold) this.#panicTime = now;
    else if (this.#panicTime !== undefined && this.#panicTime + spec.stableWindowMs < now) {
      this.#panicTime = undefined;
      this.#maxPanicPods = 0;
    }

    let desired = desiredStable;
    if (this.#panicTime !== undefined) {
      desired = Math.max(desired, desiredPanic);
      this.#maxPanicPods = Math.max(this.#maxPanicPods, desired);
      desired = this.#maxPanicPods;
    }
    if (this.#delay) desired = this.#delay.record(now, desired);

    let excessBurstCapacity = -1;
    if (spec.targetBurstCapacity === 0) excessBurstCapacity = 0;
    else if (spec.targetBurstCapacity > 0) excessBurstCapacity = Math.floor(observation.readyReplicas * spec.totalValue - spec.targetBurstCapacity - observation.panic);
    return { desired, excessBurstCapacity, panicking: this.#panicTime !== undefined };
  }
}
