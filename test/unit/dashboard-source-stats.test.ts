import { describe, expect, it } from 'vitest';
import { BrokerMetrics } from '../../broker/index.js';
import type { Resource } from '../../core/resources/index.js';
import { collectStats, StatsSampler } from '../../dashboard/index.js';
import { SourceMetrics } from '../../sources/framework/metrics.js';

/** Broker metrics with the source metrics on their registry, as `junction start` wires them. */
function wired() {
  const metrics = new BrokerMetrics({ defaultMetrics: false });
  return { metrics, sources: new SourceMetrics(metrics.registry) };
}

const webhookSource = (namespace: string, name: string, ready?: { status: 'True' | 'False'; reason?: string; message?: string }): Resource => ({
  apiVersion: 'sources.junction.dev/v1',
  kind: 'WebhookSource',
  metadata: { namespace, name },
  spec: {},
  status: { url: `http://junction.test/sources/${namespace}/${name}`, ...(ready ? { conditions: [{ type: 'Ready', ...ready }] } : {}) },
});

describe('dashboard stats of sources', () => {
  it('counts events and webhook requests by outcome per source, read from the shared registry by name', async () => {
    const { metrics, sources } = wired();
    const hooks = { namespace: 'shop', source: 'hooks', kind: 'WebhookSource' };
    sources.emitted.inc(hooks, 3);
    for (const [outcome, times] of [['accepted', 3], ['duplicate', 2], ['refused_missing', 1], ['refused_invalid', 4], ['refused_stale', 1], ['payload_invalid', 2], ['not_ready', 1], ['sink_failed', 1]] as const) {
      sources.webhooks.inc({ ...hooks, outcome }, times);
    }
    sources.emitted.inc({ namespace: 'shop', source: 'tick', kind: 'PingSource' }, 5);

    const stats = await collectStats(metrics, 'shop');
    expect(stats.sources).toEqual([
      {
        namespace: 'shop',
        name: 'hooks',
        kind: 'WebhookSource',
        events: 3,
        requests: { accepted: 3, duplicate: 2, handshake: 0, refusedMissing: 1, refusedInvalid: 4, refusedStale: 1, payloadInvalid: 2, notReady: 1, sinkFailed: 1 },
        refused: 6,
      },
      { namespace: 'shop', name: 'tick', kind: 'PingSource', events: 5, requests: expect.objectContaining({ accepted: 0 }), refused: 0 },
    ]);
    expect(stats.totals).toMatchObject({ sourceEvents: 8, sourcesRefused: 6 });
  });

  it('keeps each namespace to its own sources', async () => {
    const { metrics, sources } = wired();
    sources.emitted.inc({ namespace: 'team-a', source: 'alpha', kind: 'WebhookSource' });
    sources.webhooks.inc({ namespace: 'team-b', source: 'bravo', kind: 'GitHubSource', outcome: 'refused_invalid' });
    const teamA = await collectStats(metrics, 'team-a', [webhookSource('team-a', 'alpha'), webhookSource('team-b', 'bravo')]);
    expect(teamA.sources.map((source) => source.name)).toEqual(['alpha']);
    expect(teamA.totals.sourcesRefused).toBe(0);
    expect(JSON.stringify(teamA)).not.toMatch(/bravo|team-b/);
    expect((await collectStats(metrics, undefined)).sources.map((source) => `${source.namespace}/${source.name}`)).toEqual(['team-a/alpha', 'team-b/bravo']);
  });

  it('with the source resources, lists exactly the existing sources, quiet ones too, with readiness and URL', async () => {
    const { metrics, sources } = wired();
    sources.emitted.inc({ namespace: 'shop', source: 'hooks', kind: 'WebhookSource' }, 2);
    // A deleted source whose series the sources module has not dropped (yet) is not listed.
    sources.emitted.inc({ namespace: 'shop', source: 'gone', kind: 'WebhookSource' }, 7);
    const listed = [
      webhookSource('shop', 'hooks', { status: 'True' }),
      webhookSource('shop', 'quiet', { status: 'False', reason: 'SecretNotFound', message: 'secret shop/quiet does not exist' }),
      webhookSource('shop', 'new'),
    ];
    const stats = await collectStats(metrics, 'shop', listed);
    expect(stats.sources.map(({ name, events, ready, url }) => ({ name, events, ready, url }))).toEqual([
      { name: 'hooks', events: 2, ready: { status: 'True' }, url: 'http://junction.test/sources/shop/hooks' },
      { name: 'new', events: 0, ready: undefined, url: 'http://junction.test/sources/shop/new' },
      { name: 'quiet', events: 0, ready: { status: 'False', reason: 'SecretNotFound', message: 'secret shop/quiet does not exist' }, url: 'http://junction.test/sources/shop/quiet' },
    ]);
    expect(stats.totals.sourceEvents).toBe(2);
  });

  it('samples events/s, refused/s and other failures/s per source with counts, and drops forgotten ones', async () => {
    const { metrics, sources } = wired();
    let now = 1_700_000_000_000;
    const sampler = new StatsSampler(metrics, () => ({ brokers: [], triggers: [] }), { intervalMs: 10_000, now: () => now });
    const hooks = { namespace: 'shop', source: 'hooks', kind: 'WebhookSource' };
    await sampler.sample();
    sources.emitted.inc(hooks, 20);
    sources.webhooks.inc({ ...hooks, outcome: 'refused_invalid' }, 40);
    sources.webhooks.inc({ ...hooks, outcome: 'refused_stale' }, 10);
    sources.webhooks.inc({ ...hooks, outcome: 'sink_failed' }, 5);
    sources.emitted.inc({ namespace: 'other', source: 'tick', kind: 'PingSource' }, 10);
    now += 10_000;
    await sampler.sample();
    sources.emitted.inc(hooks, 5);
    now += 10_000;
    await sampler.sample();

    const shop = sampler.history('shop');
    expect(shop.sources).toEqual([{ namespace: 'shop', kind: 'WebhookSource', name: 'hooks', events: [2, 0.5], refused: [5, 0], failed: [0.5, 0] }]);
    expect(sampler.history(undefined).sources.map((source) => `${source.namespace}/${source.name}`)).toEqual(['other/tick', 'shop/hooks']);

    sources.forget('shop', 'hooks', 'WebhookSource');
    now += 10_000;
    await sampler.sample();
    expect(sampler.history(undefined).sources.map((source) => source.name)).toEqual(['tick']);
  });
});
