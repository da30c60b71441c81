import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Resource } from '../../core/resources/index.js';
import { collectPageErrors, expectText, launchChromium, textOf } from '../support/browser.js';
import { startHttpSubscriber } from '../support/http-subscriber.js';
import { startTestJunction, structuredEvent } from '../support/junction.js';

const broker = (namespace: string, name: string): Resource => ({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name, namespace }, spec: {} });
const trigger = (namespace: string, name: string, spec: Record<string, unknown>): Resource => ({
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Trigger',
  metadata: { name, namespace },
  spec,
});
const channel = (namespace: string, name: string): Resource => ({ apiVersion: 'messaging.knative.dev/v1', kind: 'Channel', metadata: { name, namespace }, spec: {} });
const orderEvent = (n: number) => structuredEvent({ id: `order-${n}`, type: 'com.example.order.created', source: '/shop' });

describe('dashboard at /ui in a real browser', () => {
  let browser: Browser;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());
  afterEach(async () => {
    await page?.close();
    page = undefined;
  });

  it('shows brokers, triggers, counts, event types and warnings, updating live', { timeout: 90_000 }, async () => {
    const junction = await startTestJunction();
    const ok = await startHttpSubscriber([{ status: 202 }]);
    const failing = await startHttpSubscriber([{ status: 500, body: 'boom' }]);
    const sink = await startHttpSubscriber([{ status: 202 }]);
    try {
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const consoleErrors = collectPageErrors(page);
      await page.goto(`${junction.url}/ui`);
      // Nothing applied yet: the page says what to do.
      await expectText(page, '#brokers .empty', /No brokers yet[\s\S]*junction apply -f examples\/quickstart\.yaml/);
      await expectText(page, '#identity', /auth off/);
      expect(await page.locator('#login').isVisible()).toBe(false);

      const sent = 5;
      const onlyOrders = { filter: { attributes: { type: 'com.example.order.created' } } };
      await junction.apply(broker('shop', 'default'));
      await junction.apply(trigger('shop', 'orders', { broker: 'default', ...onlyOrders, subscriber: { uri: ok.url } }));
      await junction.apply(trigger('shop', 'audit', { broker: 'default', ...onlyOrders, subscriber: { uri: failing.url }, delivery: { retry: 0, deadLetterSink: { uri: sink.url } } }));
      await junction.apply(trigger('shop', 'orphan', { broker: 'missing', subscriber: { uri: ok.url } }));
      await junction.waitReady('brokers', 'shop', 'default');
      await junction.waitReady('triggers', 'shop', 'orders');
      await junction.waitReady('triggers', 'shop', 'audit');
      for (let n = 0; n < sent; n++) {
        expect((await junction.post('/shop/default', orderEvent(n), { 'content-type': 'application/cloudevents+json' })).status).toBe(202);
      }
      await sink.waitForRequests(sent);

      // The same page, not reloaded, picks everything up.
      await expectText(page, 'tr[data-broker="shop/default"] td[data-field="ready"]', 'Ready');
      await expectText(page, 'tr[data-broker="shop/default"] td[data-field="address"]', `${junction.url}/shop/default`);
      await expectText(page, 'tr[data-broker="shop/default"] td[data-field="received"]', String(sent));
      await expectText(page, 'tr[data-trigger="shop/orders"] td[data-field="delivered"]', String(sent));
      await expectText(page, 'tr[data-trigger="shop/orders"] td[data-field="filter"]', 'type=com.example.order.created');
      await expectText(page, 'tr[data-trigger="shop/orders"] td[data-field="subscriber"]', ok.url);
      await expectText(page, 'tr[data-trigger="shop/audit"] td[data-field="deadLettered"]', String(sent));
      await expectText(page, 'tr[data-trigger="shop/audit"] td[data-field="delivered"]', '0');
      await expectText(page, 'tr[data-trigger="shop/orphan"] td[data-field="ready"]', /Not ready[\s\S]*BrokerDoesNotExist/);
      await expectText(page, '#eventtypes td[data-field="type"]', 'com.example.order.created');
      await expectText(page, '[data-total="Received"] .tile-value', String(sent));
      await expectText(page, '[data-total="Dead-lettered"] .tile-value', String(sent));
      await expectText(page, '[data-total="Triggers"] .tile-value', '2/3');
      // The orphan trigger's warning is listed and marked as one.
      await expectText(page, '#events li.warning', /Warning[\s\S]*Trigger shop\/orphan[\s\S]*BrokerDoesNotExist/);
      expect(await page.locator('#status').innerText()).toMatch(/live/);
      await page.screenshot({ path: '/tmp/dashboard.png', fullPage: true });

      // Choosing the namespace drops the namespace column and keeps the rows.
      await page.selectOption('#namespace', 'shop');
      await expectText(page, '#brokers th:first-child', /^name$/i);
      await expectText(page, 'tr[data-trigger="shop/orders"] td[data-field="delivered"]', String(sent));
      expect(page.url()).toContain('namespace=shop');
      expect(consoleErrors).toEqual([]);
    } finally {
      await Promise.all([ok.close(), failing.close(), sink.close()]);
      await junction.stop();
    }
  });

  it('with auth on, asks for a token and shows only what that token may see', { timeout: 90_000 }, async () => {
    const junction = await startTestJunction({ 'auth.mode': 'on' });
    try {
      const admin = junction.tokens.create('*', 'admin', 'dashboard test admin').token;
      const teamARead = junction.tokens.create('team-a', 'read', 'dashboard test reader').token;
      const teamAIngest = junction.tokens.create('team-a', 'ingest', 'dashboard test sender').token;
      await junction.apply(broker('team-a', 'alpha'), admin);
      await junction.apply(broker('team-b', 'bravo'), admin);
      await junction.apply(channel('team-a', 'alpha-orders'), admin);
      await junction.apply(channel('team-b', 'bravo-orders'), admin);
      expect((await junction.post('/team-b/bravo', orderEvent(1), { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${admin}` })).status).toBe(202);

      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${junction.url}/ui`);
      await expectText(page, '#login h2', 'This Junction asks for a token');
      expect(await page.locator('#content').isVisible()).toBe(false);
      expect(await page.locator('#namespace-picker').isVisible()).toBe(false);

      const signIn = async (token: string) => {
        await page!.fill('#token', token);
        await page!.click('#login button[type=submit]');
      };
      await signIn(`jct_aaaaaaaaaaaa_${'x'.repeat(43)}`);
      await expectText(page, '#login-error', /not accepted \(401 JUNCTION_UNAUTHENTICATED/);
      await signIn(teamAIngest);
      await expectText(page, '#login-error', /role ingest[\s\S]*read or admin/);
      await page.screenshot({ path: '/tmp/dashboard-login.png' });

      await signIn(teamARead);
      await expectText(page, 'tr[data-broker="team-a/alpha"] td[data-field="ready"]', 'Ready');
      await expectText(page, '#identity', /read · namespace team-a/);
      await expectText(page, 'tr[data-channel="team-a/alpha-orders"] td[data-field="name"]', 'alpha-orders');
      expect(await page.locator('#namespace').isDisabled()).toBe(true);
      expect(await page.locator('#namespace option').allInnerTexts()).toEqual(['team-a']);
      const seen = await textOf(page, 'body');
      expect(seen).not.toContain('bravo');
      expect(seen).not.toContain('team-b');
      await expectText(page, '[data-total="Received"] .tile-value', '0');

      // The token lives in the tab: a reload stays signed in; signing out asks again.
      await page.reload();
      await expectText(page, 'tr[data-broker="team-a/alpha"] td[data-field="name"]', 'alpha');
      await page.click('#identity button');
      await expectText(page, '#login h2', 'This Junction asks for a token');

      // A cluster-wide token sees every namespace and can narrow to one.
      await signIn(admin);
      await expectText(page, 'tr[data-broker="team-b/bravo"] td[data-field="received"]', '1');
      await expectText(page, 'tr[data-broker="team-a/alpha"] td[data-field="name"]', 'alpha');
      await expectText(page, 'tr[data-channel="team-b/bravo-orders"] td[data-field="name"]', 'bravo-orders');
      await page.selectOption('#namespace', 'team-a');
      await expectText(page, '[data-total="Brokers"] .tile-value', '1/1');
      expect(await page.locator('tr[data-broker="team-b/bravo"]').count()).toBe(0);
    } finally {
      await junction.stop();
    }
  });
});
