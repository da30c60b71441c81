/** One series as stored: who it is (`meta`) and one value per field per sample time. */
interface StoredSeries<Meta, Field extends string> {
  meta: Meta;
  values: Record<Field, Array<number | null>>;
}

/** A point of one series at one sample time. */
export interface SeriesPoint<Meta, Field extends string> {
  meta: Meta;
  values: Record<Field, number | null>;
}

/**
 * Aligned time series over a sliding window: one time column and, per series, one value per time
 * (the shape uPlot draws). Each push names every series that still exists; the others are dropped,
 * and samples older than the window are evicted, so memory stays bounded by resources × window.
 */
export class HistoryRing<Meta, Field extends string> {
  private readonly timeColumn: number[] = [];
  private readonly stored = new Map<string, StoredSeries<Meta, Field>>();

  constructor(
    private readonly fields: readonly Field[],
    private readonly windowMs: number,
  ) {}

  /** Appends the sample taken at `at` (ms); `points` holds every series that exists now, by key. */
  push(at: number, points: Map<string, SeriesPoint<Meta, Field>>): void {
    for (const key of this.stored.keys()) if (!points.has(key)) this.stored.delete(key);
    const earlier = this.timeColumn.length;
    for (const [key, point] of points) {
      let series = this.stored.get(key);
      if (!series) {
        const values = Object.fromEntries(this.fields.map((field) => [field, new Array<number | null>(earlier).fill(null)])) as Record<Field, Array<number | null>>;
        this.stored.set(key, (series = { meta: point.meta, values }));
      }
      for (const field of this.fields) series.values[field].push(point.values[field]);
    }
    this.timeColumn.push(at);
    let expired = 0;
    while (expired < this.timeColumn.length && this.timeColumn[expired]! <= at - this.windowMs) expired++;
    if (expired > 0) {
      this.timeColumn.splice(0, expired);
      for (const series of this.stored.values()) for (const field of this.fields) series.values[field].splice(0, expired);
    }
  }

  /** Sample times (ms), oldest first. */
  get times(): readonly number[] {
    return this.timeColumn;
  }

  /** The series kept, in insertion order. */
  series(): Array<StoredSeries<Meta, Field>> {
    return [...this.stored.values()];
  }
}
