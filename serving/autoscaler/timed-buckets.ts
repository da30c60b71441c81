/**
 * Values recorded over time in buckets of `granularityMs`, averaged over a trailing window — the
 * shape of Knative's TimedFloat64Buckets (what the stable and panic windows read). Several records in
 * one bucket add up; the average divides by the buckets the window spans since the first record
 * (so a young revision is not diluted by empty history), and is 0 once nothing was recorded for a
 * whole window.
 */
export class TimedBuckets {
  readonly #buckets = new Map<number, number>();
  #first: number | undefined;
  #last: number | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly granularityMs = 1000,
  ) {}

  /** Adds `value` to the bucket of time `at` (ms). */
  record(at: number, value: number): void {
    const bucket = Math.floor(at / this.granularityMs);
    this.#buckets.set(bucket, (this.#buckets.get(bucket) ?? 0) + value);
    this.#first = this.#first === undefined ? bucket : Math.min(this.#first, bucket);
    this.#last = this.#last === undefined ? bucket : Math.max(this.#last, bucket);
    // Nothing older than the window is ever read again.
    const oldest = bucket - Math.ceil(this.windowMs / this.granularityMs);
    for (const key of this.#buckets.keys()) if (key <= oldest) this.#buckets.delete(key);
  }

  /** True when nothing was ever recorded (Knative's "no data": no decision is made). */
  get empty(): boolean {
    return this.#first === undefined;
  }

  /** The average per bucket over the window ending at `now`, or 0 when the window holds nothing. */
  windowAverage(now: number, windowMs = this.windowMs): number {
    if (this.#first === undefined || this.#last === undefined) return 0;
    const current = Math.floor(now / this.granularityMs);
    const span = Math.max(1, Math.round(windowMs / this.granularityMs));
    const start = current - span + 1;
    if (this.#last < start) return 0;
    let total = 0;
    for (const [bucket, value] of this.#buckets) if (bucket >= start && bucket <= current) total += value;
    const counted = Math.min(span, current - Math.max(this.#first, start) + 1);
    return counted > 0 ? total / counted : 0;
  }
}

/** The largest value recorded within a trailing window (Knative's scale-down delay window). */
export class MaxWindow {
  readonly #values: Array<{ at: number; value: number }> = [];

  constructor(private readonly windowMs: number) {}

  /** Records `value` at `at` and returns the largest value of the window ending there. */
  record(at: number, value: number): number {
    // A later, larger value makes earlier smaller ones irrelevant (a monotonic queue).
    while (this.#values.length > 0 && this.#values.at(-1)!.value <= value) this.#values.pop();
    this.#values.push({ at, value });
    while (this.#values[0]!.at <= at - this.windowMs) this.#values.shift();
    return this.#values[0]!.value;
  }
}
