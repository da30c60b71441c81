/** One entry of a Route's traffic split: a revision and its share in percent. */
export interface TrafficShare<R = string> {
  revision: R;
  percent: number;
}

/**
 * Chooses a revision by weight, as Knative's ingress splits a Route's traffic: `random` (in [0, 1),
 * e.g. Math.random or a seeded generator in tests) lands in one of the shares laid end to end. Shares
 * of 0 are never chosen; undefined when no share is above 0. Pure: same inputs, same answer.
 */
export function pickTraffic<R>(traffic: ReadonlyArray<TrafficShare<R>>, random: () => number): R | undefined {
  let total = 0;
  for (const share of traffic) if (share.percent > 0) total += share.percent;
  if (total <= 0) return undefined;
  let point = random() * total;
  let last: R | undefined;
  for (const share of traffic) {
    if (share.percent <= 0) continue;
    last = share.revision;
    if (point < share.percent) return share.revision;
    point -= share.percent;
  }
  return last; // rounding left `point` at the very end
}
