// The bot's price to beat and winner against the simulated venue's own settlement, for every market
// of a run: equal to the venue's published priceToBeat to the cent, and the same winner. 1-minute
// markets with a 10 s TWAP window keep the run short; the bot starts 13 s before a market, so it sees
// one market from its start (own average and venue TWAP, cross-checked) and joins the current one
// late (Gamma's eventMetadata.priceToBeat).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { BotEvent, SettlementEvent } from '../../src/domain/index.js';
import { startBot } from '../../src/app.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { startVenue } from '@polymm/venue';

const INTERVAL = 60_000;
const LOOKBACK_S = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('settlement against the venue', () => {
  it("the bot's price to beat equals the venue's published one to the cent, and its winner the venue's", async () => {
    const now = Date.now();
    const offset = Math.ceil(now / INTERVAL) * INTERVAL - now - 13_000 + INTERVAL; // a market starts 13 s in
    const clock = (): number => Date.now() + offset;
    const venue = await startVenue({
      port: 0,
      clock,
      tickMs: 20,
      options: { seed: 21, intervalMs: INTERVAL, participants: false, twapLookbackS: LOOKBACK_S },
    });
    const cfg = loadConfig({
      flags: {
        dryRun: true,
        sim: { interval: '1m' },
        cutoffMs: 20_000,
        metricsPort: 0,
        market: { discoveryPollMs: 500 },
      },
    });
    const events: BotEvent[] = [];
    const bot = await startBot(cfg, {
      logger: silentLogger(),
      venue,
      clock,
      eventLog: false,
      serveMetrics: false,
      onEvent: (e) => events.push(e),
    });
    const next = venue.core.markets().find((m) => m.startMs > clock())!;
    try {
      await sleep(next.endMs - clock() + 2_500);
    } finally {
      await bot.stop();
      await venue.close();
    }
    const latest = new Map<string, SettlementEvent>();
    for (const e of events) if (e.kind === 'settlement') latest.set(e.conditionId, e);
    const checked = [...latest.values()].filter(
      (s) => venue.core.marketByCondition(s.conditionId)?.oracleStart !== undefined,
    );
    expect(checked.length).toBeGreaterThanOrEqual(2);
    for (const s of checked) {
      const v = venue.core.marketByCondition(s.conditionId)!;
      expect(s).toMatchObject({ rule: 'twap', lookbackS: LOOKBACK_S });
      expect(s.priceToBeat, s.slug).toBeDefined();
      expect(Math.abs(s.priceToBeat! - v.oracleStart!), `${s.slug} (${s.priceToBeatSource})`).toBeLessThan(0.005);
      if (v.winner) expect(s.winner, s.slug).toBe(v.winner === 'Up' ? 'up' : 'down');
    }
    // The market seen from its start: the venue's TWAP, agreeing with the bot's own average.
    const full = latest.get(next.conditionId)!;
    expect(full).toMatchObject({ priceToBeatSource: 'venueTwap' });
    expect(full.problem).toBeUndefined();
    expect(venue.core.marketByCondition(next.conditionId)!.winner).toBeDefined();
    expect(full.winner).toBeDefined();
    // The one joined late: Gamma's published figure (the bot saw neither its start nor its window).
    const late = [...latest.values()].find((s) => s.conditionId !== next.conditionId && s.priceToBeat !== undefined);
    expect(late?.priceToBeatSource).toBe('gamma');
  }, 120_000);
});
