import { setCondition } from './conditions.js';
import type { Condition, ResourceStatus } from './types.js';

/**
 * Knative's "living" condition set: a happy condition (`Ready`) that is True exactly when every
 * dependent condition is True, False (with that condition's reason and message) as soon as one is
 * False, else Unknown. Reconcilers mark dependents; Ready follows, so each kind does not write its
 * own failure bookkeeping.
 */
export class ConditionSet {
  constructor(
    readonly dependents: readonly string[],
    readonly happy = 'Ready',
  ) {}

  /** A manager over a copy of `status` (the stored status is not changed). */
  manage(status: ResourceStatus | undefined): ConditionManager {
    return new ConditionManager(this, { ...(status ?? {}) });
  }
}

/** Marks conditions on one status and keeps the happy condition in step. */
export class ConditionManager {
  constructor(
    private readonly set: ConditionSet,
    readonly status: ResourceStatus,
  ) {
    this.#recompute();
  }

  markTrue(type: string): this {
    return this.#mark({ type, status: 'True' });
  }

  markFalse(type: string, reason: string, message: string): this {
    return this.#mark({ type, status: 'False', reason, message });
  }

  markUnknown(type: string, reason: string, message: string): this {
    return this.#mark({ type, status: 'Unknown', reason, message });
  }

  /** Removes a dependent that does not apply (e.g. SecretsProvided of a kind without secrets). */
  clear(type: string): this {
    this.status.conditions = (this.status.conditions ?? []).filter((c) => c.type !== type);
    this.#recompute();
    return this;
  }

  get(type: string): Condition | undefined {
    return this.status.conditions?.find((c) => c.type === type);
  }

  isHappy(): boolean {
    return this.get(this.set.happy)?.status === 'True';
  }

  #mark(condition: Omit<Condition, 'lastTransitionTime'>): this {
    this.status.conditions = setCondition(this.status.conditions, condition);
    this.#recompute();
    return this;
  }

  #recompute(): void {
    const present = this.set.dependents.map((type) => this.get(type)).filter((c): c is Condition => c !== undefined);
    const failed = present.find((c) => c.status === 'False');
    const unknown = present.find((c) => c.status !== 'True');
    const missing = this.set.dependents.find((type) => this.get(type) === undefined);
    let happy: Omit<Condition, 'lastTransitionTime'>;
    if (failed) happy = { type: this.set.happy, status: 'False', reason: failed.reason, message: failed.message };
    else if (unknown) happy = { type: this.set.happy, status: 'Unknown', reason: unknown.reason, message: unknown.message };
    else if (missing !== undefined) happy = { type: this.set.happy, status: 'Unknown', reason: 'Pending', message: `${missing} is not reported yet` };
    else happy = { type: this.set.happy, status: 'True' };
    this.status.conditions = setCondition(this.status.conditions, happy);
  }
}
