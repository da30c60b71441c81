import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { StatsHistoryDocument } from '../../dashboard/index.js';
import { collectPageErrors, expectText, launchChromium, seriesPixelCounts } from '../support/browser.js';
import { sleep } from '../support/eventually.js';
import { startHttpSubscriber, type HttpSubscriber } from '../support/http-subscriber.js';
import { brokerWithTrigger, startTestJunction, structuredEvent, type TestJunction } from '../support/junction.js';

const VIEWPORT = { width: 1280, height: 800 };
const MESSAGING = 'messaging.knative.dev/v1';
const sent = 12;
const orderEvent = (n: number) => structuredEvent({ id: `order-${n}`, type: 'com.example.order.created', source: '/shop/checkout' });

/** Boxes of the elements matching `selector` that stick out of the viewport's width. */
async function outsideViewport(page: Page, selector: string) {
  return page.$$eval(selector, (elements) =>
    elements
      .map((element) => ({ text: (element as HTMLElement).innerText.slice(0, 40), box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.left < 0 || box.right > window.innerWidth)
      .map(({ text, box }) => `${text} [${Math.round(box.left)}–${Math.round(box.right)}]`),
  );
}

describe('dashboard plots and layout at 1280 px in a real browser', () => {
  let browser: Browser;
  let junction: TestJunction;
  let subscribers: HttpSubscriber[] = [];
  let page: Page;
  let consoleErrors: string[];
  const history = async (): Promise<StatsHistoryDocument> => (await request(`${junction.url}/apis/junction.dev/v1/namespaces/shop/stats/history`)).body.json() as Promise<StatsHistoryDocument>;

  beforeAll(async () => {
    browser = await launchChromium();
    junction = await startTestJunction({ 'dashboard.sampleInterval': 'PT1S' });
    const ok = await startHttpSubscriber([{ status: 202 }]);
    const failing = await startHttpSubscriber([{ status: 503, body: 'warehouse down' }]);
    const deadLetters = await startHttpSubscriber([{ status: 202 }]);
    const billing = await startHttpSubscriber([{ status: 202 }]);
    subscribers = [ok, failing, deadLetters, billing];
    // Names and filters as long as real ones: the tables must still fit.
    const orders = brokerWithTrigger({ namespace: 'shop', trigger: 'orders-fulfilment-notifications', subscriberUrl: `${ok.url}webhooks/fulfilment/orders/created`, filter: { filters: [{ cesql: "type LIKE 'com.example.order.%' AND source = '/shop/checkout'" }] } });
    const audit = brokerWithTrigger({ namespace: 'shop', trigger: 'audit', subscriberUrl: failing.url, delivery: { retry: 2, backoffPolicy: 'linear', backoffDelay: 'PT0.01S', deadLetterSink: { uri: deadLetters.url } } });
    for (const resource of [...orders, audit[1]!, ...brokerWithTrigger({ namespace: 'quiet', broker: 'idle', trigger: 'nobody-home', subscriberUrl: ok.url })]) await junction.apply(resource);
    await junction.apply({ apiVersion: MESSAGING, kind: 'Channel', metadata: { name: 'billing-ledger-entries', namespace: 'shop' }, spec: {} });
    await junction.apply({
      apiVersion: MESSAGING,
      kind: 'Subscription',
      metadata: { name: 'billing-ledger-to-accounting', namespace: 'shop' },
      spec: { channel: { apiVersion: MESSAGING, kind: 'Channel', name: 'billing-ledger-entries' }, subscriber: { uri: `${billing.url}accounting/ledger` } },
    });
    await junction.waitReady('triggers', 'shop', 'orders-fulfilment-notifications');
    await junction.waitReady('triggers', 'shop', 'audit');
    await junction.waitReady('subscriptions', 'shop', 'billing-ledger-to-accounting', MESSAGING);
    // Traffic over a few seconds, as a producer sends it (the plots sample every second here).
    for (let n = 0; n < sent; n++) {
      expect((await junction.post('/shop/default', orderEvent(n), { 'content-type': 'application/cloudevents+json' })).status).toBe(202);
      await sleep(200);
    }
    await Promise.all([ok.waitForRequests(sent), deadLetters.waitForRequests(sent)]);

    page = await browser.newPage({ viewport: VIEWPORT });
    consoleErrors = collectPageErrors(page);
    await page.goto(`${junction.url}/ui`);
  }, 90_000);

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await Promise.all(subscribers.map((subscriber) => subscriber.close()));
    await junction?.stop();
  });

  it('fits every column of every table into a 1280×800 window, BACKLOG included', async () => {
    await expectText(page, 'tr[data-trigger="shop/audit"] td[data-field="deadLettered"]', String(sent));
    await expectText(page, 'tr[data-channel="shop/billing-ledger-entries"] td[data-field="name"]', 'billing-ledger-entries');
    expect(await page.locator('#content table').count()).toBeGreaterThanOrEqual(4);
    expect(await outsideViewport(page, '#content table')).toEqual([]);
    expect(await outsideViewport(page, '#content th, #content td')).toEqual([]);
    const backlog = page.locator('#triggers th', { hasText: /^backlog$/i });
    expect(await backlog.count()).toBe(1);
    const header = (await backlog.boundingBox())!;
    expect(header.x + header.width).toBeLessThanOrEqual(VIEWPORT.width);
    const cells = page.locator('#triggers td[data-field="backlog"]');
    expect(await cells.count()).toBe(3);
    for (const cell of await cells.all()) {
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
      expect(await cell.isVisible()).toBe(true);
    }
    // The page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORT.width);
    await page.screenshot({ path: '/tmp/dashboard-1280.png', fullPage: true });
  });

  it('plots received and delivered rates, p99 latency, retries and dead letters of real traffic, live', { timeout: 60_000 }, async () => {
    // The server's history (what the page plots) has the burst: non-zero rates in some interval.
    const peak = (values: Array<number | null>) => Math.max(0, ...values.map((value) => value ?? 0));
    await expect
      .poll(async () => {
        const { brokers, triggers } = await history();
        const audit = triggers.find((trigger) => trigger.name === 'audit');
        return {
          received: peak(brokers[0]?.received ?? []) > 0,
          delivered: peak(brokers[0]?.delivered ?? []) > 0,
          p99: peak(brokers[0]?.p99Seconds ?? []) > 0,
          retried: peak(audit?.retried ?? []) > 0,
          deadLettered: peak(audit?.deadLettered ?? []) > 0,
        };
      }, { timeout: 15_000 })
      .toEqual({ received: true, delivered: true, p99: true, retried: true, deadLettered: true });
    const { brokers, triggers, times, intervalSeconds } = await history();
    // Each interval's rate is its share of the burst: rate × interval length, summed, gives the count back.
    const total = (values: Array<number | null>) => Math.round(values.reduce<number>((sum, value, i) => sum + (value ?? 0) * (i === 0 ? intervalSeconds : times[i]! - times[i - 1]!), 0));
    expect(total(brokers[0]!.received)).toBe(sent);
    expect(total(triggers.find((trigger) => trigger.name === 'audit')!.deadLettered)).toBe(sent);
    expect(total(triggers.find((trigger) => trigger.name === 'audit')!.retried)).toBe(2 * sent);

    const plots = page.locator('#plots .plot');
    await expect.poll(() => page.locator('#plots canvas').count(), { timeout: 15_000 }).toBe(4);
    expect(await plots.count()).toBe(4);
    const titles = await page.locator('#plots .plot h3').allInnerTexts();
    expect(titles).toEqual([expect.stringMatching(/received and delivered/i), expect.stringMatching(/delivered per trigger/i), expect.stringMatching(/p99/i), expect.stringMatching(/retries and dead letters/i)]);
    const legendOf = async (index: number) => (await plots.nth(index).locator('.u-legend').innerText()).replace(/\s+/g, ' ');
    expect(await legendOf(0)).toMatch(/shop\/default received[\s\S]*shop\/default delivered/);
    expect(await legendOf(1)).toMatch(/shop\/orders-fulfilment-notifications[\s\S]*shop\/audit/);
    expect(await legendOf(2)).toContain('shop/default');
    expect(await legendOf(3)).toMatch(/shop\/audit retried[\s\S]*shop\/audit dead-lettered/);
    // Pointing at a plot shows the values there, with their unit, in the legend.
    await plots.nth(0).locator('.u-over').hover();
    expect(await legendOf(0)).toMatch(/shop\/default received\s*\d+(\.\d+)?\/s/);
    expect(titles[2]).toMatch(/\(ms\)/);

    // Polling feeds new data to the same four charts: no more charts, and the very same canvases.
    await page.$$eval('#plots canvas', (canvases) => canvases.forEach((canvas) => (canvas.dataset.seen = 'before')));
    const stamp = await page.locator('#status').innerText();
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).not.toBe(stamp);
    expect(await page.locator('#plots canvas').count()).toBe(4);
    expect(await page.locator('#plots .uplot').count()).toBe(4);
    expect(await page.locator('#plots canvas[data-seen="before"]').count()).toBe(4);

    await page.mouse.move(0, 0);
    await page.locator('#plots').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/dashboard-plots.png' });
    for (const plot of await plots.all()) {
      const box = (await plot.boundingBox())!;
      expect(box.width).toBeGreaterThan(200);
      expect(box.height).toBeGreaterThan(100);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
    }
    // Every canvas has drawn its data: pixels in the colour of its first series' legend marker, not only grey axes and grid.
    const seriesPixels = await seriesPixelCounts(page, '#plots .plot');
    for (const count of seriesPixels) expect(count).toBeGreaterThan(20);
    expect(consoleErrors).toEqual([]);
  });

  it('says so when a namespace had no traffic, and removes the plots it no longer shows', async () => {
    await page.selectOption('#namespace', 'quiet');
    await expect.poll(() => page.locator('#plots canvas').count(), { timeout: 10_000 }).toBe(0);
    const empty = await page.locator('#plots .plot-empty').allInnerTexts();
    expect(empty.length).toBeGreaterThan(0);
    for (const text of empty) expect(text).toMatch(/no .* in the last 15 minutes/i);
    await page.selectOption('#namespace', 'shop');
    await expect.poll(() => page.locator('#plots canvas').count(), { timeout: 10_000 }).toBe(4);
    expect(await page.locator('#plots .uplot').count()).toBe(4);
  });
});
