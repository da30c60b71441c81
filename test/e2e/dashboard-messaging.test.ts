import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Resource } from '../../core/resources/index.js';
import { collectPageErrors, expectText, launchChromium, textOf } from '../support/browser.js';
import { closedPort, startHttpSubscriber } from '../support/http-subscriber.js';
import { startTestJunction, structuredEvent } from '../support/junction.js';

const MESSAGING = 'messaging.knative.dev/v1';
const FLOWS = 'flows.knative.dev/v1';
const structured = { 'content-type': 'application/cloudevents+json' };
const onNats = { 'junction.dev/channel': 'nats' };

const channel = (namespace: string, name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): Resource => ({
  apiVersion: MESSAGING,
  kind: 'Channel',
  metadata: { name, namespace, annotations },
  spec,
});

describe('dashboard: channels, subscriptions and flows in a real browser', () => {
  let browser: Browser;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await page?.close();
    await browser?.close();
  });

  it('lists channels (templated ones as one row), subscriptions with counts, flows, and engines that are down', { timeout: 90_000 }, async () => {
    // NATS is configured, but its credentials Secret does not exist: channels on it cannot open.
    const junction = await startTestJunction({ 'channels.nats': { servers: [`nats://127.0.0.1:${await closedPort()}`], credentialsSecret: 'junction-system/nats' } });
    const billing = await startHttpSubscriber([{ status: 202 }]);
    const audit = await startHttpSubscriber([{ status: 202 }]);
    const step = await startHttpSubscriber([{ status: 202 }]);
    try {
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const consoleErrors = collectPageErrors(page);
      await page.goto(`${junction.url}/ui`);
      await expectText(page, '#channels .empty', 'No channels yet — see docs/messaging.md');
      await expectText(page, '#subscriptions .empty', /No subscriptions yet[\s\S]*docs\/messaging\.md/);
      await expectText(page, '#flows .empty', /No flows yet[\s\S]*docs\/messaging\.md/);

      await junction.apply(channel('shop', 'orders'));
      await junction.apply(channel('shop', 'scratch', { channelTemplate: { apiVersion: MESSAGING, kind: 'InMemoryChannel' } }));
      await junction.apply({
        apiVersion: MESSAGING,
        kind: 'Subscription',
        metadata: { name: 'orders-to-billing', namespace: 'shop' },
        spec: { channel: { apiVersion: MESSAGING, kind: 'Channel', name: 'orders' }, subscriber: { uri: billing.url }, reply: { uri: audit.url } },
      });
      await junction.apply({ apiVersion: FLOWS, kind: 'Sequence', metadata: { name: 'enrich', namespace: 'shop' }, spec: { steps: [{ uri: step.url }] } });
      await junction.apply(channel('ops', 'audit-log', {}, onNats));
      await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'fast', namespace: 'ops', annotations: onNats }, spec: {} });
      await junction.waitReady('channels', 'shop', 'orders', MESSAGING);
      await junction.waitReady('subscriptions', 'shop', 'orders-to-billing', MESSAGING);
      const sequence = await junction.waitReady('sequences', 'shop', 'enrich', FLOWS);

      const sent = 4;
      for (let n = 0; n < sent; n++) {
        const answer = await junction.post('/channels/shop/orders', structuredEvent({ id: `order-${n}`, type: 'com.example.order' }), structured);
        expect(answer.status).toBe(202);
      }
      await billing.waitForRequests(sent);

      // The channel, its subscription and the sequence, as the same page (not reloaded) shows them.
      const orders = 'tr[data-channel="shop/orders"]';
      await expectText(page, `${orders} td[data-field="ready"]`, 'Ready');
      await expectText(page, `${orders} td[data-field="received"]`, String(sent));
      await expectText(page, `${orders} td[data-field="kind"]`, 'Channel');
      await expectText(page, `${orders} td[data-field="engine"]`, 'sqlite');
      await expectText(page, `${orders} td[data-field="address"]`, `${junction.url}/channels/shop/orders`);
      const subscription = 'tr[data-subscription="shop/orders-to-billing"]';
      await expectText(page, `${subscription} td[data-field="delivered"]`, String(sent));
      await expectText(page, `${subscription} td[data-field="ready"]`, 'Ready');
      await expectText(page, `${subscription} td[data-field="channel"]`, 'orders');
      await expectText(page, `${subscription} td[data-field="subscriber"]`, billing.url);
      await expectText(page, `${subscription} td[data-field="reply"]`, audit.url);
      await expectText(page, `${subscription} td[data-field="deadLettered"]`, '0');
      const flow = 'tr[data-flow="shop/sequence/enrich"]';
      await expectText(page, `${flow} td[data-field="ready"]`, 'Ready');
      await expectText(page, `${flow} td[data-field="kind"]`, 'Sequence');
      await expectText(page, `${flow} td[data-field="size"]`, '1 step');
      await expectText(page, `${flow} td[data-field="address"]`, sequence.status!.address!.url!);

      // A templated Channel and the InMemoryChannel behind it are one row.
      await expectText(page, 'tr[data-channel="shop/scratch"] td[data-field="kind"]', 'Channel → InMemoryChannel');
      await expectText(page, 'tr[data-channel="shop/scratch"] td[data-field="engine"]', 'memory');
      expect(await page.locator('tr[data-channel="shop/scratch"]').count()).toBe(1);

      // A broker and a channel whose engine cannot be used are flagged, and counted as not ready.
      await expectText(page, 'tr[data-channel="ops/audit-log"] td[data-field="engine"]', /⚠ nats unavailable[\s\S]*ChannelUnavailable/);
      await expectText(page, 'tr[data-broker="ops/fast"] td[data-field="channel"]', /⚠ nats unavailable[\s\S]*ChannelUnavailable/);
      await expectText(page, 'tr[data-broker="ops/fast"] td[data-field="ready"]', /Not ready[\s\S]*ChannelUnavailable/);
      expect(await page.locator('tr[data-broker="ops/fast"]').getAttribute('class')).toBe('row-warn');
      expect(await page.locator(`${orders}`).getAttribute('class')).toBeNull();
      await expectText(page, '[data-total="Channels"] .tile-value', '2/3');
      expect(await page.locator('[data-total="Channels"]').getAttribute('class')).toBe('tile warn');
      await expectText(page, '[data-total="Flows"] .tile-value', '1/1');
      await expectText(page, '[data-total="Subscriptions"] .tile-value', '1/1');

      // The sequence's own channel and subscription are hidden until asked for.
      const internalChannel = 'tr[data-channel="shop/enrich-kn-sequence-0"]';
      const internalSubscription = 'tr[data-subscription="shop/enrich-kn-sequence-0"]';
      await expectText(page, '#channels .toggle', 'show flow internals (1 channel hidden)');
      expect(await page.locator(internalChannel).count()).toBe(0);
      expect(await page.locator(internalSubscription).count()).toBe(0);
      expect(await page.locator('#subscriptions tbody tr').count()).toBe(1);
      await page.screenshot({ path: '/tmp/dashboard2.png', fullPage: true });

      const { body, headers } = { body: structuredEvent({ id: 'seq-1', type: 'com.example.order' }), headers: structured };
      expect((await junction.post(new URL(sequence.status!.address!.url!).pathname, body, headers)).status).toBe(202);
      await step.waitForRequests(1);
      await page.check('#subscriptions [data-toggle="flow-internals"]');
      await expectText(page, `${internalChannel} td[data-field="name"]`, /enrich-kn-sequence-0[\s\S]*part of Sequence enrich/);
      await expectText(page, `${internalChannel} td[data-field="received"]`, '1');
      await expectText(page, `${internalSubscription} td[data-field="delivered"]`, '1');
      await page.screenshot({ path: '/tmp/dashboard2-internals.png', fullPage: true });
      // One setting: both tables follow, and it survives the next refresh.
      expect(await page.locator('#channels [data-toggle="flow-internals"]').isChecked()).toBe(true);
      await expectText(page, '#status', /updated/);
      const before = await textOf(page, '#status');
      await expect.poll(() => textOf(page!, '#status'), { timeout: 10_000 }).not.toBe(before);
      expect(await page.locator(internalSubscription).count()).toBe(1);
      await page.uncheck('#channels [data-toggle="flow-internals"]');
      await expect.poll(() => page!.locator(internalChannel).count()).toBe(0);
      expect(consoleErrors).toEqual([]);
    } finally {
      await Promise.all([billing.close(), audit.close(), step.close()]);
      await junction.stop();
    }
  });
});
