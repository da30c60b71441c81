import { describe, expect, it } from 'vitest';
import { backoffDelay, type BackoffPolicy } from '../../core/backoff/index.js';

describe('backoffDelay', () => {
  it.each<[BackoffPolicy, number[]]>([
    [{ kind: 'exponential', baseMs: 100 }, [100, 200, 400, 800, 1600]],
    [{ kind: 'exponential', baseMs: 250, maxMs: 5000 }, [250, 500, 1000, 2000, 4000, 5000, 5000]],
    [{ kind: 'linear', baseMs: 1000 }, [0, 1000, 2000, 3000]],
    [{ kind: 'linear', baseMs: 1000, maxMs: 2500 }, [0, 1000, 2000, 2500, 2500]],
    [{ kind: 'constant', baseMs: 300 }, [300, 300, 300]],
    [{ kind: 'constant', baseMs: 300, maxMs: 100 }, [100, 100]],
    [{ kind: 'exponential', baseMs: 0 }, [0, 0, 0]],
  ])('%j gives attempts 0, 1, 2… the delays %j', (policy, delays) => {
    expect(delays.map((_, attempt) => backoffDelay(policy, attempt))).toEqual(delays);
  });

  it('stays a number for huge attempt counts: the cap, or Infinity without one (never NaN)', () => {
    expect(backoffDelay({ kind: 'exponential', baseMs: 100, maxMs: 60_000 }, 5000)).toBe(60_000);
    expect(backoffDelay({ kind: 'exponential', baseMs: 100 }, 5000)).toBe(Infinity);
    expect(backoffDelay({ kind: 'exponential', baseMs: 0, maxMs: 10 }, 5000)).toBe(0);
  });

  it('never waits a negative time', () => {
    expect(backoffDelay({ kind: 'linear', baseMs: 100 }, -3)).toBe(0);
  });

  it('full jitter spreads over [0, d), equal jitter over [d/2, d), ratio jitter over [d(1-r), d(1+r))', () => {
    const at = (random: number, jitter: BackoffPolicy['jitter']) => backoffDelay({ kind: 'exponential', baseMs: 100, maxMs: 1000, jitter, random: () => random }, 3);
    expect([at(0, 'full'), at(0.5, 'full'), at(0.999, 'full')]).toEqual([0, 400, 799.2]);
    expect([at(0, 'equal'), at(0.5, 'equal'), at(0.999, 'equal')]).toEqual([400, 600, 799.6]);
    expect(at(0, { ratio: 0.2 })).toBeCloseTo(640, 9);
    expect(at(0.5, { ratio: 0.2 })).toBeCloseTo(800, 9);
    expect(at(0.999, { ratio: 0.2 })).toBeCloseTo(959.68, 9);
    expect(at(0.3, 'none')).toBe(800);
  });

  it('applies jitter after the cap (a capped delay still spreads)', () => {
    const policy: BackoffPolicy = { kind: 'exponential', baseMs: 100, maxMs: 1000, jitter: 'equal', random: () => 0 };
    expect(backoffDelay(policy, 20)).toBe(500);
  });

  it('uses Math.random when no random is injected, within the bounds', () => {
    for (let i = 0; i < 50; i += 1) {
      const delay = backoffDelay({ kind: 'constant', baseMs: 1000, jitter: 'full' }, 1);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(1000);
    }
  });
});
