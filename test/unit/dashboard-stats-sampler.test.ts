import { describe, expect, it } from 'vitest';
import { BrokerMetrics } from '../../broker/index.js';
import { StatsSampler, type ExistingResources, type Scheduler } from '../../dashboard/index.js';

const SHOP = { namespace: 'shop', broker: 'default' };

/** A sampler on a simulated clock (`clock.advance(ms)`), over metrics and resources the test sets. */
function simulated(existing: ExistingResources, intervalMs = 10_000) {
  const metrics = new BrokerMetrics({ defaultMetrics: false });
  const clock = { now: 1_700_000_000_000, advance: (ms: number) => void (clock.now += ms) };
  const sampler = new StatsSampler(metrics, () => existing, { intervalMs, now: () => clock.now });
  const step = async (ms = intervalMs) => {
    clock.advance(ms);
    await sampler.sample();
  };
  return { metrics, clock, sampler, step };
}

const twoTriggers = (): ExistingResources => ({
  brokers: [{ namespace: 'shop', name: 'default' }],
  triggers: [
    { ...SHOP, name: 'orders' },
    { ...SHOP, name: 'audit' },
  ],
});

describe('dashboard stats sampler', () => {
  it('turns counter increases into per-second rates of each interval, per broker and per trigger', async () => {
    const { metrics, sampler, step } = simulated(twoTriggers());
    await sampler.sample();
    expect(sampler.history(undefined).times).toEqual([]);

    metrics.received.inc({ namespace: 'shop', broker: 'default' }, 50);
    metrics.delivered.inc({ ...SHOP, trigger: 'orders' }, 30);
    metrics.delivered.inc({ ...SHOP, trigger: 'audit' }, 10);
    metrics.retried.inc({ ...SHOP, trigger: 'audit' }, 20);
    metrics.deadLettered.inc({ ...SHOP, trigger: 'audit' }, 5);
    await step();
    metrics.received.inc({ namespace: 'shop', broker: 'default' }, 10);
    await step(20_000);

    const history = sampler.history(undefined);
    expect(history).toMatchObject({ kind: 'StatsHistory', namespace: '*', intervalSeconds: 10, windowSeconds: 900 });
    expect(history.times).toEqual([1_700_000_010, 1_700_000_030]);
    expect(history.brokers).toEqual([{ namespace: 'shop', name: 'default', received: [5, 0.5], delivered: [4, 0], p99Seconds: [null, null] }]);
    const audit = history.triggers.find((trigger) => trigger.name === 'audit');
    expect(audit).toEqual({ ...SHOP, name: 'audit', delivered: [1, 0], retried: [2, 0], deadLettered: [0.5, 0], failed: [0, 0] });
    expect(history.triggers.find((trigger) => trigger.name === 'orders')?.delivered).toEqual([3, 0]);
  });

  it('takes p99 latency from the histogram observations of each interval only', async () => {
    const { metrics, sampler, step } = simulated(twoTriggers());
    const labels = { namespace: 'shop', broker: 'default' };
    await sampler.sample();
    for (let n = 0; n < 99; n++) metrics.latency.observe(labels, 0.004);
    metrics.latency.observe(labels, 2);
    await step();
    for (let n = 0; n < 100; n++) metrics.latency.observe(labels, 0.7);
    await step();
    await step();

    const [first, second, idle] = sampler.history(undefined).brokers[0]!.p99Seconds;
    // 99 of 100 at 4 ms: the 99th lies in the (2.5 ms, 5 ms] bucket, not near the one slow outlier.
    expect(first).toBeGreaterThan(0.0025);
    expect(first).toBeLessThanOrEqual(0.005);
    // The next interval sees only its own 700 ms deliveries.
    expect(second).toBeGreaterThan(0.5);
    expect(second).toBeLessThanOrEqual(1);
    expect(idle).toBeNull();
  });

  it('keeps 15 minutes: older samples are evicted as new ones arrive', async () => {
    const { metrics, sampler, step, clock } = simulated(twoTriggers());
    await sampler.sample();
    metrics.received.inc({ namespace: 'shop', broker: 'default' }, 100);
    await step();
    for (let n = 0; n < 100; n++) await step();

    const history = sampler.history(undefined);
    expect(history.times).toHaveLength(90);
    expect(history.times[0]).toBeGreaterThan(clock.now / 1000 - 900);
    expect(history.times.at(-1)).toBe(clock.now / 1000);
    // The burst of the first interval has left the window; every series stays aligned with the times.
    expect(history.brokers[0]!.received).toEqual(new Array(90).fill(0));
    for (const trigger of history.triggers) expect(trigger.retried).toHaveLength(90);
  });

  it('drops the series of deleted resources, and starts a recreated one empty', async () => {
    const existing = twoTriggers();
    const { metrics, sampler, step } = simulated(existing);
    await sampler.sample();
    metrics.delivered.inc({ ...SHOP, trigger: 'audit' }, 10);
    await step();
    expect(sampler.history(undefined).triggers.map((trigger) => trigger.name)).toEqual(['orders', 'audit']);

    existing.triggers = existing.triggers.filter((trigger) => trigger.name !== 'audit');
    existing.brokers.push({ namespace: 'other', name: 'events' });
    await step();
    expect(sampler.history(undefined).triggers.map((trigger) => trigger.name)).toEqual(['orders']);
    expect(sampler.history(undefined).brokers.map((broker) => broker.name)).toEqual(['default', 'events']);

    // Prometheus keeps the old counter; the new trigger of the same name counts only its own deliveries.
    existing.triggers.push({ ...SHOP, name: 'audit' });
    metrics.delivered.inc({ ...SHOP, trigger: 'audit' }, 20);
    await step();
    const history = sampler.history(undefined);
    expect(history.times).toHaveLength(3);
    expect(history.triggers.find((trigger) => trigger.name === 'audit')?.delivered).toEqual([null, null, 2]);
    expect(history.brokers.find((broker) => broker.name === 'events')?.received).toEqual([null, 0, 0]);
  });

  it('answers one namespace with only its own series', async () => {
    const existing = twoTriggers();
    existing.brokers.push({ namespace: 'other', name: 'events' });
    existing.triggers.push({ namespace: 'other', broker: 'events', name: 'mail' });
    const { sampler, step } = simulated(existing);
    await sampler.sample();
    await step();
    const other = sampler.history('other');
    expect(other.namespace).toBe('other');
    expect(other.brokers.map((broker) => broker.name)).toEqual(['events']);
    expect(other.triggers.map((trigger) => trigger.name)).toEqual(['mail']);
    expect(JSON.stringify(other)).not.toContain('shop');
  });

  it('samples on the scheduler it is given, from a first reading at start, until stopped', async () => {
    const metrics = new BrokerMetrics({ defaultMetrics: false });
    let now = 0;
    const ticks: Array<() => void> = [];
    let cancelled = false;
    const schedule: Scheduler = (ms, tick) => {
      expect(ms).toBe(5_000);
      ticks.push(tick);
      return () => void (cancelled = true);
    };
    const sampler = new StatsSampler(metrics, twoTriggers, { intervalMs: 5_000, now: () => now, schedule });
    sampler.start();
    expect(ticks).toHaveLength(1);
    metrics.received.inc({ namespace: 'shop', broker: 'default' }, 25);
    now += 5_000;
    await expect.poll(() => (ticks[0]!(), sampler.history(undefined).times.length)).toBe(1);
    expect(sampler.history(undefined).brokers[0]!.received).toEqual([5]);
    sampler.stop();
    expect(cancelled).toBe(true);
  });
});
