import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTOSCALER_SETTINGS, KpaDecider, MaxWindow, ScaleBounds, TimedBuckets, deciderSpec, goDuration, type DeciderSpec } from '../../serving/index.js';
import { SimulatedClock } from '../support/simulated-clock.js';

/** A decider spec as Knative's autoscaler tests build it: target 10 per replica, total 100. */
function spec(overrides: Partial<DeciderSpec> = {}): DeciderSpec {
  return {
    metric: 'concurrency', targetValue: 10, totalValue: 100, targetBurstCapacity: 211, panicThreshold: 2, stableWindowMs: 60_000, panicWindowMs: 6_000,
    maxScaleUpRate: 1000, maxScaleDownRate: 2, scaleDownDelayMs: 0, activationScale: 1, minScale: 0, maxScale: 0, initialScale: 1, scaleToZeroPodRetentionPeriodMs: 0,
    ...overrides,
  };
}
const observe = (stable: number, panic: number, readyReplicas: number, reachable = true) => ({ stable, panic, readyReplicas, reachable });

describe('KPA decider (Knative pkg/autoscaler/scaling/autoscaler.go)', () => {
  const clock = new SimulatedClock();

  it('stable mode: ceil(observed ÷ target), and the excess burst capacity from the panic value', () => {
    const decider = new KpaDecider(spec());
    expect(decider.decide(clock.now(), observe(50, 50, 5))).toEqual({ desired: 5, excessBurstCapacity: Math.floor(5 * 100 - 211 - 50), panicking: false });
    expect(decider.decide(clock.advance(2000), observe(51, 51, 5)).desired).toBe(6);
    expect(decider.decide(clock.advance(2000), observe(0, 0, 6)).desired).toBe(3); // max scale-down rate 2: at most half at once
  });

  it('target burst capacity 0 gives 0, -1 keeps the activator in the path (-1)', () => {
    expect(new KpaDecider(spec({ targetBurstCapacity: 0 })).decide(clock.now(), observe(10, 10, 1)).excessBurstCapacity).toBe(0);
    expect(new KpaDecider(spec({ targetBurstCapacity: -1 })).decide(clock.now(), observe(10, 10, 1)).excessBurstCapacity).toBe(-1);
  });

  it('limits a step by the scale-up rate, but always allows at least one more replica (Knative’s MSUR=1.1 case)', () => {
    const decider = new KpaDecider(spec({ maxScaleUpRate: 1.1, targetValue: 1 }));
    // ceil(1.1 × 2) = 3: the third replica is allowed although 2 × 1.1 = 2.2.
    expect(decider.decide(clock.now(), observe(3, 3, 2)).desired).toBe(3);
    expect(decider.decide(clock.advance(2000), observe(100, 100, 10)).desired).toBe(11);
  });

  it('an unreachable revision may scale down at any rate; a reachable one halves at most', () => {
    expect(new KpaDecider(spec()).decide(clock.now(), observe(0, 0, 10, false)).desired).toBe(0);
    expect(new KpaDecider(spec()).decide(clock.now(), observe(0, 0, 10, true)).desired).toBe(5);
  });

  it('panics at ≥ 200% of the ready capacity in the panic window, never scales down while panicking, calms a stable window after', () => {
    const decider = new KpaDecider(spec());
    const start = clock.advance(60_000);
    // 1 ready replica, the panic window sees 25 in flight: 3 pods wanted = 300% of the ready one.
    expect(decider.decide(start, observe(5, 25, 1))).toMatchObject({ desired: 3, panicking: true });
    // The burst stops: the stable window still says 1, panic mode keeps 3.
    expect(decider.decide(clock.advance(2000), observe(8, 8, 3))).toMatchObject({ desired: 3, panicking: true });
    // A bigger burst while panicking raises it.
    expect(decider.decide(clock.advance(2000), observe(8, 140, 3))).toMatchObject({ desired: 14, panicking: true });
    const lastOver = clock.now();
    expect(decider.decide(clock.advance(30_000), observe(20, 20, 14))).toMatchObject({ desired: 14, panicking: true });
    // A whole stable window after the last tick over the threshold: stable mode again, down at the scale-down rate.
    clock.advance(lastOver + 60_001 - clock.now());
    expect(decider.decide(clock.now(), observe(20, 20, 14))).toMatchObject({ desired: 7, panicking: false });
  });

  it('scale-down delay: holds the highest count of the delay window', () => {
    const decider = new KpaDecider(spec({ scaleDownDelayMs: 10_000 }));
    const at = clock.advance(1000);
    expect(decider.decide(at, observe(50, 50, 5))).toMatchObject({ desired: 5, panicking: false });
    expect(decider.decide(at + 4_000, observe(10, 10, 5)).desired).toBe(5);
    expect(decider.decide(at + 9_000, observe(10, 10, 5)).desired).toBe(5);
    expect(decider.decide(at + 10_001, observe(10, 10, 5)).desired).toBe(2); // the 5 has left the window; the rate allows going to 2 of 5
  });

  it('activation-scale: a revision with any demand runs at least that many replicas; none without demand', () => {
    const decider = new KpaDecider(spec({ activationScale: 3 }));
    expect(decider.decide(clock.now(), observe(1, 1, 1)).desired).toBe(3);
    expect(new KpaDecider(spec({ activationScale: 3 })).decide(clock.now(), observe(0, 0, 1, false)).desired).toBe(0);
  });

  it('scales on requests per second the same way', () => {
    const { spec: rps } = deciderSpec({ 'autoscaling.knative.dev/metric': 'rps', 'autoscaling.knative.dev/target': '50' }, 0, DEFAULT_AUTOSCALER_SETTINGS);
    expect(rps).toMatchObject({ metric: 'rps', targetValue: 35, totalValue: 50 });
    expect(new KpaDecider(rps).decide(clock.now(), observe(140, 140, 1)).desired).toBe(4);
  });
});

describe('decider spec from annotations and settings (Knative’s ResolveMetricTarget and defaults)', () => {
  const resolve = (annotations: Record<string, string>, containerConcurrency = 0) => deciderSpec(annotations, containerConcurrency, DEFAULT_AUTOSCALER_SETTINGS);

  it('defaults: concurrency target 100 × 70%, stable window 60 s, panic window 10% of it, threshold 200%', () => {
    expect(resolve({}).spec).toMatchObject({ metric: 'concurrency', targetValue: 70, totalValue: 100, stableWindowMs: 60_000, panicWindowMs: 6_000, panicThreshold: 2, targetBurstCapacity: 211, initialScale: 1, minScale: 0, maxScale: 0 });
  });

  it('containerConcurrency is the total; a target annotation is capped by it', () => {
    expect(resolve({}, 10).spec).toMatchObject({ targetValue: 7, totalValue: 10 });
    expect(resolve({ 'autoscaling.knative.dev/target': '50' }, 10).spec).toMatchObject({ targetValue: 7, totalValue: 10 });
    expect(resolve({ 'autoscaling.knative.dev/target': '5', 'autoscaling.knative.dev/target-utilization-percentage': '100' }, 10).spec).toMatchObject({ targetValue: 5, totalValue: 5 });
  });

  it('reads windows and delays as Go durations, and the legacy camelCase names', () => {
    const { spec: read, problems } = resolve({ 'autoscaling.knative.dev/window': '2m', 'autoscaling.knative.dev/panicWindowPercentage': '20', 'autoscaling.knative.dev/scale-down-delay': '15s', 'autoscaling.knative.dev/minScale': '2', 'autoscaling.knative.dev/max-scale': '10', 'autoscaling.knative.dev/activation-scale': '2' });
    expect(problems).toEqual([]);
    expect(read).toMatchObject({ stableWindowMs: 120_000, panicWindowMs: 24_000, scaleDownDelayMs: 15_000, minScale: 2, maxScale: 10, activationScale: 2 });
    expect(goDuration('1m30s')).toBe(90_000);
    expect(goDuration('500ms')).toBe(500);
    expect(goDuration('soon')).toBeUndefined();
  });

  it('names every bad annotation with its path and keeps the setting instead', () => {
    const { spec: read, problems } = resolve({ 'autoscaling.knative.dev/target': 'lots', 'autoscaling.knative.dev/window': '2s', 'autoscaling.knative.dev/metric': 'cpu', 'autoscaling.knative.dev/min-scale': '5', 'autoscaling.knative.dev/max-scale': '2' });
    expect(problems.map((problem) => problem.path)).toEqual(expect.arrayContaining([
      'metadata.annotations.autoscaling.knative.dev/target',
      'metadata.annotations.autoscaling.knative.dev/window',
      'metadata.annotations.autoscaling.knative.dev/metric',
      'metadata.annotations.autoscaling.knative.dev/min-scale',
    ]));
    expect(read.targetValue).toBe(70);
  });
});

describe('scale bounds (Knative’s KPA reconciler): initial scale, scale to zero after the grace period, min and max', () => {
  it('starts at initial-scale, keeps the count without data, and goes to zero only after a stable window of activity plus the grace period', () => {
    const clock = new SimulatedClock();
    const bounds = new ScaleBounds(spec(), { enableScaleToZero: true, scaleToZeroGracePeriodMs: 30_000 }, clock.now());
    expect(bounds.next(clock.now(), undefined, 0, 0, true)).toBe(1); // initial scale
    expect(bounds.next(clock.advance(2000), { desired: 0, excessBurstCapacity: 0, panicking: false }, 1, 1, true)).toBe(1); // just active: not yet
    clock.advance(60_000);
    expect(bounds.next(clock.now(), { desired: 0, excessBurstCapacity: 0, panicking: false }, 1, 1, true)).toBe(0); // nothing wanted for > 30 s
    // A request at zero: poke scales to activation-scale at once.
    expect(bounds.poke(clock.advance(1000))).toBe(1);
    expect(bounds.next(clock.advance(2000), { desired: 0, excessBurstCapacity: 0, panicking: false }, 1, 1, true)).toBe(1);
  });

  it('never scales to zero when it is disabled, and honours min-scale (while reachable) and max-scale', () => {
    const clock = new SimulatedClock();
    const off = new ScaleBounds(spec(), { enableScaleToZero: false, scaleToZeroGracePeriodMs: 0 }, clock.now());
    off.next(clock.now(), undefined, 0, 1, true);
    expect(off.next(clock.advance(120_000), { desired: 0, excessBurstCapacity: 0, panicking: false }, 1, 1, true)).toBe(1);
    const bounded = new ScaleBounds(spec({ minScale: 2, maxScale: 4 }), { enableScaleToZero: true, scaleToZeroGracePeriodMs: 0 }, clock.now());
    expect(bounded.next(clock.now(), { desired: 9, excessBurstCapacity: 0, panicking: false }, 2, 2, true)).toBe(4);
    expect(bounded.next(clock.advance(2000), { desired: 1, excessBurstCapacity: 0, panicking: false }, 4, 4, true)).toBe(2);
    expect(bounded.next(clock.advance(120_000), { desired: 0, excessBurstCapacity: 0, panicking: false }, 2, 2, false)).toBe(0);
  });
});

describe('metric windows', () => {
  it('averages per second over the window, counting only the seconds since the first record, 0 after a silent window', () => {
    const buckets = new TimedBuckets(60_000);
    const t0 = Date.parse('2026-12-06T12:00:00Z');
    expect(buckets.empty).toBe(true);
    buckets.record(t0, 10);
    buckets.record(t0 + 500, 10); // same second: adds up
    buckets.record(t0 + 1000, 40);
    expect(buckets.windowAverage(t0 + 1000)).toBe(30); // (20 + 40) / 2 seconds
    expect(buckets.windowAverage(t0 + 1000, 1000)).toBe(40); // the panic window: the last second only
    expect(buckets.windowAverage(t0 + 3000)).toBe(15); // 60 over 4 seconds
    expect(buckets.windowAverage(t0 + 62_000)).toBe(0);
  });

  it('MaxWindow keeps the largest value of its window', () => {
    const window = new MaxWindow(10_000);
    expect(window.record(0, 3)).toBe(3);
    expect(window.record(1000, 5)).toBe(5);
    expect(window.record(2000, 1)).toBe(5);
    expect(window.record(11_000, 2)).toBe(2);
  });
});
