/** One bucket of a cumulative histogram: observations `<= le` (`Infinity` for `+Inf`). */
export interface Bucket {
  le: number;
  count: number;
}

/**
 * The `q` quantile of the observations counted by cumulative `buckets` (sorted by `le`), estimated
 * like Prometheus' `histogram_quantile`: linear within the bucket holding the rank, and the highest
 * finite bound when the rank falls in `+Inf`. `null` when nothing was observed.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return lowerBound;
      const inBucket = bucket.count - lowerCount;
      return inBucket <= 0 ? bucket.le : lowerBound + ((bucket.le - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}

/** Observations of the interval between two readings of the same cumulative histogram. */
export function bucketDelta(now: readonly Bucket[], before: readonly Bucket[] | undefined): Bucket[] {
  const earlier = new Map((before ?? []).map((bucket) => [bucket.le, bucket.count]));
  return now.map((bucket) => ({ le: bucket.le, count: Math.max(0, bucket.count - (earlier.get(bucket.le) ?? 0)) }));
}
