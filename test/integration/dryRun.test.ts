// Dry run against the simulated venue for a whole quoting window of a market: desired orders are
// computed and logged but nothing is posted; quotes follow the fair value; every regime change is
// logged with its reason (an oracle stall is injected through the venue's fault knob).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { AlphaEvent, BotEvent, DecisionEvent } from '../../src/domain/index.js';
import { startBot } from '../../src/app.js';
import { createLogger } from '../../src/sinks/logger.js';
import { startVenue } from '@polymm/venue';

const INTERVAL = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('dry run', () => {
  it('quotes follow q_up through a market, nothing is posted, regime changes are logged with reasons', async () => {
    const now = Date.now();
    const offset = Math.ceil(now / INTERVAL) * INTERVAL - now - 3_000 + INTERVAL; // the market starts 3 s in
    const clock = (): number => Date.now() + offset;
    // The retired first-tick rule keeps that path tested end to end (the TWAP path: settlement.test.ts).
    // On a 1-minute market a 60 s TWAP window spans the whole market, so q_up pins near 0 or 1 within
    // seconds and the quotes sit at their bounds: no spread of q left to correlate with.
    const venue = await startVenue({
      port: 0,
      clock,
      tickMs: 20,
      options: { seed: 5, intervalMs: INTERVAL, scenario: 'jumpy', resolution: 'first-tick' },
    });
    const lines: string[] = [];
    const out = new PassThrough();
    out.on('data', (b: Buffer) => lines.push(...b.toString().split('\n').filter(Boolean)));
    const cfg = loadConfig({
      flags: {
        dryRun: true,
        sim: { interval: '1m' },
        cutoffMs: 20_000,
        metricsPort: 0,
        market: { discoveryPollMs: 500 },
        alpha: { minVolSamples: 5 },
      },
    });
    const events: BotEvent[] = [];
    const bot = await startBot(cfg, {
      logger: createLogger('info', out),
      venue,
      clock,
      eventLog: false,
      serveMetrics: false,
      onEvent: (e) => events.push(e),
    });
    const start = venue.core.markets().find((m) => m.startMs > clock())!;
    try {
      await sleep(start.startMs - clock() + 15_000);
      await fetch(`${venue.urls.control}/faults`, { method: 'POST', body: JSON.stringify({ oracleStall: true }) });
      await sleep(8_000);
      await fetch(`${venue.urls.control}/faults`, { method: 'POST', body: JSON.stringify({ oracleStall: false }) });
      await sleep(start.endMs - 20_000 - clock() + 1_000);
    } finally {
      await bot.stop();
      await venue.close();
    }
    const mine = (e: BotEvent) =>
      ('conditionId' in e && e.conditionId === start.conditionId) ||
      (e.kind === 'decision' && e.desired.conditionId === start.conditionId);
    expect(events.filter((e) => e.kind === 'execution')).toEqual([]);
    expect(venue.core.openOrders(bot.exchange!.address)).toEqual([]);

    // Quotes follow fair value: Up's top bid minus Down's top bid moves with q_up.
    let q: number | undefined;
    const pairs: Array<[number, number]> = [];
    for (const e of events.filter(mine)) {
      if (e.kind === 'alpha') q = (e as AlphaEvent).qUp;
      if (e.kind === 'decision' && q !== undefined) {
        const d = (e as DecisionEvent).desired;
        const top = (o: string) => Math.max(...d.orders.filter((x) => x.outcome === o).map((x) => x.price));
        if (d.orders.some((x) => x.outcome === 'up') && d.orders.some((x) => x.outcome === 'down'))
          pairs.push([q, top('up') - top('down')]);
      }
    }
    expect(pairs.length).toBeGreaterThan(5);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [qs, ds] = [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
    const cov = mean(pairs.map(([a, b]) => (a - mean(qs)) * (b - mean(ds))));
    const corr = cov / Math.sqrt(mean(qs.map((a) => (a - mean(qs)) ** 2)) * mean(ds.map((b) => (b - mean(ds)) ** 2)));
    expect(corr).toBeGreaterThan(0.5);

    // The stall paused quoting and was logged with its reason; so was the recovery.
    const regimeLines = lines
      .map((l) => JSON.parse(l) as { message: string; regime?: string; reasons?: string[]; market?: string })
      .filter((l) => l.message === 'regime change' && l.market === start.conditionId);
    const stale = regimeLines.find(
      (l) => l.regime === 'STALE_ORACLE' && l.reasons?.some((r) => r.includes('chainlink stale')),
    );
    expect(stale).toBeDefined();
    expect(regimeLines.slice(regimeLines.indexOf(stale!) + 1).some((l) => l.regime !== 'STALE_ORACLE')).toBe(true);
    expect(
      events.some(
        (e) =>
          e.kind === 'decision' && e.desired.conditionId === start.conditionId && e.desired.reason === 'stale_oracle',
      ),
    ).toBe(true);
    expect(lines.some((l) => l.includes('desired orders (dry run: not posted)'))).toBe(true);
  }, 90_000);
});
