// A bot whose clock is off the venue's (issue 13 #8): 8 s off it refuses to trade and says why;
// 1.5 s off it corrects its clock to the venue's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { BotEvent } from '../../src/domain/index.js';
import { startBot } from '../../src/app.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { startVenue, type RunningVenue } from '@polymm/venue';

let venue: RunningVenue;
beforeAll(async () => {
  venue = await startVenue({ port: 0, tickMs: 50, options: { seed: 3, intervalMs: 60_000, participants: false } });
});
afterAll(() => venue.close());

const cfg = () => loadConfig({ flags: { sim: { interval: '1m' }, dryRun: true, metricsPort: 0 } });

describe('clock skew against the venue', () => {
  it('8 s behind: refuses to start, naming the skew and the fix', async () => {
    await expect(
      startBot(cfg(), {
        logger: silentLogger(),
        venue,
        clock: () => Date.now() - 8_000,
        serveMetrics: false,
        eventLog: false,
      }),
    ).rejects.toThrow(
      /clock is (7\.[5-9]|8\.[0-5]) s behind the venue's .*clockSkew\.maxMs = 2000 ms.*synchronise the system clock/,
    );
  });

  it('1.5 s ahead: corrected, events carry the venue time', async () => {
    const events: BotEvent[] = [];
    const seenAt: number[] = [];
    const bot = await startBot(cfg(), {
      logger: silentLogger(),
      venue,
      clock: () => Date.now() + 1_500,
      serveMetrics: false,
      eventLog: false,
      onEvent: (e) => e.kind === 'clock' && (events.push(e), seenAt.push(Date.now())),
    });
    try {
      while (events.length < 3) await new Promise((r) => setTimeout(r, 50));
      // Uncorrected they would be 1.5 s ahead; corrected, within the estimate's error (RTT-bound, generous on a loaded machine).
      const errors = events.map((e, i) => e.tsMs - seenAt[i]!);
      for (const err of errors) expect(Math.abs(err)).toBeLessThan(750);
    } finally {
      await bot.stop();
    }
  }, 20_000);
});
