// The backtest's HTML report opened in a real headless browser (Debian's chromium through
// playwright-core), offline: no console error, no request leaves the file, every chart drawn
// (its canvas holds pixels of its series' colours, not only axes), and a screenshot kept as a
// test artifact in test-artifacts/ (git-ignored). Without /usr/bin/chromium the test is skipped
// with a message saying so (CI installs it: .ci/run).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/run.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { CHROMIUM, hasChromium, openInChromium } from '../support/browser.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
/** Each chart's series colours, as the report draws them (src/backtest/html.ts). */
const CHARTS = {
  pnl: ['#1565c0'],
  inventory: ['#2e7d32', '#c62828', '#f9a825'],
  markout: ['#6a1b9a'],
  calibration: ['#00838f', '#999999'],
  quotes: ['#2e7d32', '#c62828', '#90a4ae', '#546e7a', '#1565c0'],
};

describe('backtest HTML report in a real browser', () => {
  it('opens offline with no console error, draws every chart, and is screenshotted', async (ctx) => {
    if (!hasChromium()) {
      const why = `skipped: the HTML report browser test needs ${CHROMIUM} (Debian: apt-get install chromium)`;
      process.stderr.write(`${why}\n`);
      ctx.skip(why);
    }
    const r = await runBacktest({
      scenario: 'calm',
      seed: 7,
      markets: 2,
      interval: '1m',
      strategy: 'spec',
      cfg: loadConfig({}),
      logger: silentLogger(),
      html: true,
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'backtest-report.html');
    writeFileSync(file, r.html!);
    const shot = join(ARTIFACTS, 'backtest-report.png');
    const page = await openInChromium(file, CHARTS, shot);
    expect(page.consoleErrors).toEqual([]);
    expect(page.refusedRequests).toEqual([]);
    expect(page.charts.map((c) => c.id)).toEqual(Object.keys(CHARTS));
    for (const c of page.charts) {
      expect(c.canvases, c.id).toBeGreaterThan(0);
      expect(c.seriesPixels, c.id).toBeGreaterThan(50);
    }
  }, 60_000);
});
