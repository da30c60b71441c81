import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); playwright's own browser downloads are never used. */
export const CHROMIUM = '/usr/bin/chromium';

/** Launches headless chromium; fails loudly (never skips) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (the browser tests need it)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Records the page's console errors and uncaught script errors (content-policy violations show up here too); a working page has none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  page.on('pageerror', (error) => void errors.push(error.message));
  return errors;
}

/** The text of the first element matching `selector` as a user sees it, or '' while there is none or it is hidden. */
export async function textOf(page: Page, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  if (!(await element.isVisible())) return '';
  return element
    .innerText({ timeout: 250 })
    .then((text) => text.trim())
    .catch(() => '');
}

/** Waits (bounded) until the text of `selector` matches `expected`, as a user watching the page would. */
export async function expectText(page: Page, selector: string, expected: string | RegExp, timeout = 15_000): Promise<void> {
  const poll = expect.poll(() => textOf(page, selector), { timeout, interval: 100, message: `text of ${selector}` });
  if (typeof expected === 'string') await poll.toBe(expected);
  else await poll.toMatch(expected);
}

/**
 * For each uPlot plot matching `selector` (`#plots .plot`), how many canvas pixels have the colour of
 * its first series' legend marker: a plot that drew its data has many, one with only axes and grid none.
 */
export function seriesPixelCounts(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (elements) =>
    elements.map((element) => {
      const canvas = element.querySelector('canvas')!;
      const marker = element.querySelectorAll('.u-legend .u-series')[1]!.querySelector('.u-marker')!;
      const [r, g, b] = getComputedStyle(marker).borderColor.match(/\d+/g)!.map(Number);
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let matching = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3]! > 200 && Math.abs(pixels[i]! - r!) < 24 && Math.abs(pixels[i + 1]! - g!) < 24 && Math.abs(pixels[i + 2]! - b!) < 24) matching++;
      }
      return matching;
    }),
  );
}
