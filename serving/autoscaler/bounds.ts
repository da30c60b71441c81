import type { DeciderSpec } from './annotations.js';
import type { ScaleDecision } from './kpa.js';

/** What bounds a revision's scale besides the decider (Knative's KPA reconciler: scaler.go). */
export interface ScaleBoundsSettings {
  enableScaleToZero: boolean;
  scaleToZeroGracePeriodMs: number;
}

/**
 * Turns the decider's wish into the replica count to run: keeps the current count while there is no
 * data yet; starts at `initial-scale` and holds it until the revision first reached it; scales to
 * zero only when enabled, after a whole stable window of activity, and once nothing wanted a replica
 * for the grace period (or the pod retention period, whichever is longer); then `min-scale` (while
 * the revision is reachable) and `max-scale`. A `poke` (a request arrived at zero) scales up at once.
 */
export class ScaleBounds {
  #lastWanted: number;
  #reachedInitial = false;
  #activeSince: number | undefined;

  constructor(
    private readonly spec: DeciderSpec,
    private readonly settings: ScaleBoundsSettings,
    createdAt: number,
  ) {
    this.#lastWanted = createdAt;
  }

  /** The count to run at `now`, from the decision (undefined: no metrics yet) and the current and ready counts. */
  next(now: number, decision: ScaleDecision | undefined, current: number, ready: number, reachable: boolean): number {
    if (ready >= Math.max(1, this.spec.initialScale)) this.#reachedInitial = true;
    if (ready > 0) this.#activeSince ??= now;
    else this.#activeSince = undefined;
    let desired = decision === undefined ? current : decision.desired;
    if (!this.#reachedInitial) desired = Math.max(desired, this.spec.initialScale);
    if (desired > 0) this.#lastWanted = now;
    else desired = this.#toZero(now, current);
    const min = reachable ? this.spec.minScale : 0;
    desired = Math.max(desired, min);
    if (this.spec.maxScale > 0) desired = Math.min(desired, this.spec.maxScale);
    return desired;
  }

  /** A request reached a revision at zero: the count to start with at once (activation-scale, within max-scale). */
  poke(now: number): number {
    this.#lastWanted = now;
    const wanted = Math.max(1, this.spec.activationScale, this.spec.minScale);
    return this.spec.maxScale > 0 ? Math.min(wanted, this.spec.maxScale) : wanted;
  }

  #toZero(now: number, current: number): number {
    if (current === 0) return 0;
    if (!this.settings.enableScaleToZero) return 1;
    // Knative keeps a revision that just became active for a stable window before it may go to zero.
    if (this.#activeSince !== undefined && now - this.#activeSince < this.spec.stableWindowMs) return current;
    const hold = Math.max(this.settings.scaleToZeroGracePeriodMs, this.spec.scaleToZeroPodRetentionPeriodMs);
    return now - this.#lastWanted >= hold ? 0 : current;
  }
}
