import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Resource } from '../../core/resources/index.js';
import { collectPageErrors, expectText, launchChromium, seriesPixelCounts } from '../support/browser.js';
import { sleep } from '../support/eventually.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const VIEWPORT = { width: 1280, height: 800 };
const GITHUB_SECRET = 'a-long-random-string';
// Names as long as real ones: the table must still fit.
const GITHUB = 'octo-org-octo-repo-production-webhooks';
const STOREFRONT = 'storefront-order-notifications';
const toBroker = { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } };
const row = (kind: string, name: string, namespace = 'shop') => `tr[data-source="${namespace}/${kind}/${name}"]`;

const resources: Resource[] = [
  { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace: 'shop' }, spec: {} },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'github', namespace: 'shop' }, stringData: { secretToken: GITHUB_SECRET } } as Resource,
  {
    apiVersion: 'sources.knative.dev/v1alpha1',
    kind: 'GitHubSource',
    metadata: { name: GITHUB, namespace: 'shop' },
    spec: { ownerAndRepository: 'octo-org/octo-repo', secretToken: { secretKeyRef: { name: 'github', key: 'secretToken' } }, sink: toBroker },
  },
  { apiVersion: 'sources.junction.dev/v1', kind: 'WebhookSource', metadata: { name: STOREFRONT, namespace: 'shop' }, spec: { auth: { type: 'none' }, eventType: 'com.example.order', sink: toBroker } },
  // Never ready: its Secret does not exist (the Ready column says why).
  {
    apiVersion: 'sources.junction.dev/v1',
    kind: 'WebhookSource',
    metadata: { name: 'partner-callbacks', namespace: 'shop' },
    spec: { secretToken: { secretKeyRef: { name: 'partner-secret', key: 'token' } }, auth: { type: 'bearer' }, sink: toBroker },
  },
];

/** Boxes of the elements matching `selector` that stick out of the viewport's width. */
async function outsideViewport(page: Page, selector: string) {
  return page.$$eval(selector, (elements) =>
    elements
      .map((element) => ({ text: (element as HTMLElement).innerText.slice(0, 40), box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.left < 0 || box.right > window.innerWidth)
      .map(({ text, box }) => `${text} [${Math.round(box.left)}–${Math.round(box.right)}]`),
  );
}

describe('dashboard Sources panel in a real browser, at 1280 px', () => {
  let browser: Browser;
  let junction: TestJunction;
  let page: Page;
  let consoleErrors: string[];

  /** One GitHub delivery of a push, signed with `secret` (undefined: no signature header). */
  const delivery = (id: string, secret: string | undefined) => {
    const body = JSON.stringify({ ref: 'refs/heads/main', repository: { name: 'octo-repo', full_name: 'octo-org/octo-repo', owner: { login: 'octo-org' } }, sender: { login: 'octocat' } });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': id };
    if (secret !== undefined) headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    return junction.post(`/sources/shop/${GITHUB}`, body, headers);
  };
  const order = (n: number) => junction.post(`/sources/shop/${STOREFRONT}`, JSON.stringify({ order: n }), { 'content-type': 'application/json' });

  beforeAll(async () => {
    browser = await launchChromium();
    junction = await startTestJunction({ 'dashboard.sampleInterval': 'PT1S' });
    for (const resource of resources) await junction.apply(resource);
    await junction.waitReady('githubsources', 'shop', GITHUB, 'sources.knative.dev/v1alpha1');
    await junction.waitReady('webhooksources', 'shop', STOREFRONT, 'sources.junction.dev/v1');

    // Over a few seconds, as senders do (the plots sample every second here): 3 deliveries and one
    // redelivery from GitHub, 4 forged and 1 unsigned request, and 2 orders plus a resent one.
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const sends: Array<[() => ReturnType<typeof order>, number]> = [
      [() => delivery(ids[0]!, GITHUB_SECRET), 200],
      [() => order(1), 200],
      [() => delivery('forged-1', 'guessed-secret'), 401],
      [() => delivery(ids[1]!, GITHUB_SECRET), 200],
      [() => delivery('forged-2', 'guessed-secret'), 401],
      [() => order(2), 200],
      [() => delivery(ids[0]!, GITHUB_SECRET), 200],
      [() => delivery('forged-3', 'old-rotated-secret'), 401],
      [() => delivery('unsigned', undefined), 401],
      [() => order(2), 200],
      [() => delivery(ids[2]!, GITHUB_SECRET), 200],
      [() => delivery('forged-4', 'guessed-secret'), 401],
    ];
    for (const [send, status] of sends) {
      expect((await send()).status).toBe(status);
      await sleep(250);
    }

    page = await browser.newPage({ viewport: VIEWPORT });
    consoleErrors = collectPageErrors(page);
    await page.goto(`${junction.url}/ui`);
  }, 90_000);

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await junction?.stop();
  });

  it('counts events, accepted, duplicate and refused requests per source, with readiness', async () => {
    const github = row('GitHubSource', GITHUB);
    await expectText(page, `${github} td[data-field="events"]`, '3');
    await expectText(page, `${github} td[data-field="ready"]`, 'Ready');
    await expectText(page, `${github} td[data-field="kind"]`, 'GitHubSource');
    await expectText(page, `${github} td[data-field="accepted"]`, '3');
    await expectText(page, `${github} td[data-field="duplicate"]`, '1');
    // The security signal: 5 refused, 1 without a signature and 4 with a wrong one.
    await expectText(page, `${github} td[data-field="refused"]`, /^5\s+1 missing\s+4 invalid$/);
    expect(await page.locator(`${github} td[data-field="refused"] .num.warn`).count()).toBe(1);
    await expectText(page, `${github} td[data-field="payloadInvalid"]`, '0');
    await expectText(page, `${github} td[data-field="unavailable"]`, '0');

    const storefront = row('WebhookSource', STOREFRONT);
    await expectText(page, `${storefront} td[data-field="events"]`, '2');
    await expectText(page, `${storefront} td[data-field="duplicate"]`, '1');
    await expectText(page, `${storefront} td[data-field="refused"]`, '0');
    await expectText(page, `${storefront} td[data-field="eventRate"]`, /^\d+(\.\d)?$/);

    // A source without traffic is listed too, with why it is not ready.
    await expectText(page, `${row('WebhookSource', 'partner-callbacks')} td[data-field="ready"]`, /^Not ready[\s\S]*partner-secret/);
    await expectText(page, `${row('WebhookSource', 'partner-callbacks')} td[data-field="events"]`, '0');

    await expectText(page, '[data-total="Source events"] .tile-value', '5');
    await expectText(page, '[data-total="Webhooks refused"] .tile-value', '5');
    expect(await page.locator('[data-total="Webhooks refused"]').getAttribute('class')).toContain('warn');
  });

  it('fits every column of the Sources table, and every other table, into the 1280 px window', async () => {
    await expectText(page, `${row('GitHubSource', GITHUB)} td[data-field="events"]`, '3');
    const headers = await page.locator('#sources th').allInnerTexts();
    expect(headers.map((header) => header.replace(/\s+/g, ' ').toLowerCase())).toEqual([
      'namespace',
      'name',
      'kind',
      'ready',
      'events',
      'events/s',
      'accepted',
      'duplicates',
      'refused (signature)',
      'payload invalid',
      'not ready / sink failed',
    ]);
    expect(await outsideViewport(page, '#content table')).toEqual([]);
    expect(await outsideViewport(page, '#content th, #content td')).toEqual([]);
    for (const cell of await page.locator('#sources th, #sources td').all()) expect(await cell.isVisible()).toBe(true);
    // Nor does any card scroll sideways inside (event types of sources have long URL-like sources).
    const overflowing = await page.$$eval('#content .card', (cards) => cards.filter((card) => card.scrollWidth > card.clientWidth).map((card) => card.querySelector('h2')?.textContent));
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORT.width);
    await page.screenshot({ path: '/tmp/dashboard-sources-1280.png', fullPage: true });
    await page.locator('section[aria-labelledby="sources-title"]').screenshot({ path: '/tmp/dashboard-sources-card.png' });
  });

  it('shows the rate of refused requests while forged ones keep coming', { timeout: 30_000 }, async () => {
    const refused = `${row('GitHubSource', GITHUB)} td[data-field="refused"]`;
    await expectText(page, refused, /^5\s+1 missing\s+4 invalid$/);
    const attack = (async () => {
      for (let n = 0; n < 24; n++) {
        expect((await delivery(`attack-${n}`, 'guessed-secret')).status).toBe(401);
        await sleep(250);
      }
    })();
    await expectText(page, refused, /^\d+\s+1 missing\s+\d+ invalid\s+\d+(\.\d)?\/s now$/);
    await attack;
    await expectText(page, refused, /^29\s+1 missing\s+28 invalid$/);
    await expectText(page, '[data-total="Webhooks refused"] .tile-value', '29');
  });

  it('plots events/s per source and refused/s, with points drawn', { timeout: 60_000 }, async () => {
    const plots = page.locator('#source-plots .plot');
    await expect.poll(() => page.locator('#source-plots canvas').count(), { timeout: 15_000 }).toBe(2);
    // The main plots are unchanged: four of them, in their own card.
    expect(await page.locator('#plots .plot').count()).toBe(4);
    expect(await page.locator('#source-plots .plot h3').allInnerTexts()).toEqual([expect.stringMatching(/events\/s emitted per source/i), expect.stringMatching(/refused/i)]);
    const legendOf = async (index: number) => (await plots.nth(index).locator('.u-legend').innerText()).replace(/\s+/g, ' ');
    expect(await legendOf(0)).toContain(`shop/${GITHUB}`);
    expect(await legendOf(0)).toContain(`shop/${STOREFRONT}`);
    expect(await legendOf(1)).toContain(`shop/${GITHUB} refused`);
    expect(await legendOf(1)).not.toContain(STOREFRONT);

    await page.mouse.move(0, 0);
    await page.locator('#source-plots').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/dashboard-sources-plots.png' });
    for (const plot of await plots.all()) {
      const box = (await plot.boundingBox())!;
      expect(box.width).toBeGreaterThan(200);
      expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
    }
    // Each canvas has drawn its data: pixels in the colour of its first series, not only axes and grid.
    const seriesPixels = await seriesPixelCounts(page, '#source-plots .plot');
    for (const count of seriesPixels) expect(count).toBeGreaterThan(20);
    expect(consoleErrors).toEqual([]);
  });

  it('shows only the chosen namespace, and says where to start where there are no sources', async () => {
    await junction.apply({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace: 'quiet' }, spec: {} });
    await expect.poll(() => page.locator('#namespace option').allInnerTexts(), { timeout: 10_000 }).toContain('quiet');
    await page.selectOption('#namespace', 'quiet');
    await expectText(page, '#sources .empty', /No sources yet[\s\S]*docs\/sources/);
    expect(await page.locator('#source-plots').isVisible()).toBe(false);
    expect(await page.locator('#source-plots canvas').count()).toBe(0);
    expect(await page.locator('[data-total="Source events"]').count()).toBe(0);
    await page.selectOption('#namespace', 'shop');
    await expectText(page, '#sources th:first-child', /^name$/i);
    await expectText(page, `${row('GitHubSource', GITHUB)} td[data-field="events"]`, '3');
    await expect.poll(() => page.locator('#source-plots canvas').count(), { timeout: 10_000 }).toBe(2);
    expect(consoleErrors).toEqual([]);
  });
});
