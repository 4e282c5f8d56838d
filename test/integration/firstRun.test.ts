// First run: with the default settings the embedded venue opens a fresh 15-minute market a few
// seconds after launch, and the bot has post-only ladders resting on it within about 30 s — wherever
// the wall clock falls in the UTC quarter hour. Status lines count down to the market's opening.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startBot } from '../../src/app.js';
import { statusReporter } from '../../src/cli/status.js';
import { startSimVenue } from '../../src/cli/venue.js';
import type { RunningVenue } from '@polymm/venue';
import { silentLogger } from '../../src/sinks/logger.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('first run on the embedded venue', () => {
  it('quotes within 30 s of launch', async () => {
    const launched = Date.now();
    const lines: string[] = [];
    // Defaults, but the weekly engine-restart window off: the test must not depend on the weekday.
    const cfg = loadConfig({ flags: { metricsPort: 0, sim: { weeklyRestart: false } } });
    expect(cfg.venue).toBe('sim');
    const started: RunningVenue[] = [];
    const bot = await startBot(cfg, {
      logger: silentLogger(),
      eventLog: false,
      onEvent: statusReporter({ write: (l) => lines.push(l) }),
      startSimVenue: async (sim) => started[started.push(await startSimVenue(sim)) - 1]!,
    });
    let quotedAfterMs: number | undefined;
    try {
      const venue = started[0]!;
      while (quotedAfterMs === undefined && Date.now() - launched < 30_000) {
        if (venue.core.openOrders(bot.exchange!.address).length > 0) quotedAfterMs = Date.now() - launched;
        else await sleep(100);
      }
      const market = venue.core.markets().find((m) => m.startMs > launched)!;
      expect(market.startMs - launched).toBeLessThanOrEqual(cfg.sim.firstMarketInMs + 1_000);
      expect(venue.core.openOrders(bot.exchange!.address).every((o) => o.conditionId === market.conditionId)).toBe(
        true,
      );
    } finally {
      await bot.stop();
    }
    expect(quotedAfterMs, `no order resting 30 s after launch; status lines:\n${lines.join('\n')}`).toBeDefined();
    expect(lines.some((l) => /waiting: .*opens in 0:\d\d/.test(l))).toBe(true);
  }, 45_000);
});
