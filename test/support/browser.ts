// A page opened in a real headless browser (Debian's chromium, driven by playwright-core), offline:
// any request that is not the file itself is refused and counted. Used to check the backtest's
// HTML report as a user sees it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** Debian's chromium; POLYMM_TEST_CHROMIUM points elsewhere (e.g. a missing path, to see the skip). */
export const CHROMIUM = process.env.POLYMM_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = (): boolean => existsSync(CHROMIUM);

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChartPixels {
  readonly id: string;
  readonly canvases: number;
  /** Pixels of the canvas in one of the chart's series colours (the data drawn, not the axes). */
  readonly seriesPixels: number;
}

export interface PageReport {
  readonly consoleErrors: readonly string[];
  readonly refusedRequests: readonly string[];
  readonly charts: readonly ChartPixels[];
}

/** Open `file`, wait for it to load, measure each chart's canvas, screenshot the page to `shot`. */
export async function openInChromium(
  file: string,
  charts: Readonly<Record<string, readonly string[]>>,
  shot: string,
): Promise<PageReport> {
  const profile = mkdtempSync(join(tmpdir(), 'polymm-chromium-')); // a fresh --user-data-dir
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 900 },
  });
  try {
    const consoleErrors: string[] = [];
    const refusedRequests: string[] = [];
    const url = pathToFileURL(file).href;
    await context.route('**/*', (route) =>
      route.request().url() === url ? route.continue() : (refusedRequests.push(route.request().url()), route.abort()),
    );
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    const measured = (await page.evaluate(`(${COUNT_SERIES_PIXELS})(${JSON.stringify(charts)})`)) as ChartPixels[];
    await page.screenshot({ path: shot, fullPage: true });
    return { consoleErrors, refusedRequests, charts: measured };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Runs in the page (plain JavaScript, so no transpiler helper leaks into it): for each chart, its
 * canvases and how many of their opaque pixels are within a small distance of a series colour.
 */
const COUNT_SERIES_PIXELS = `(charts) => Object.entries(charts).map(([id, colours]) => {
  const targets = colours.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  const canvases = [...(document.getElementById(id)?.querySelectorAll('canvas') ?? [])];
  let seriesPixels = 0;
  for (const c of canvases) {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) continue;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] < 200) continue;
      if (targets.some(([r, g, b]) => Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 40)) seriesPixels += 1;
    }
  }
  return { id, canvases: canvases.length, seriesPixels };
})`;
