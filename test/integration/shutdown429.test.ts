// Shutdown under the venue's 429 fault (issue 13 #4): the final cancel-all keeps trying as the venue
// asks; when the burst ends it is confirmed (no order left), when it never ends the bot says it
// relies on the exchange's dead-man switch.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load.js';
import { startBot } from '../../src/app.js';
import { createLogger } from '../../src/sinks/logger.js';
import { startVenue } from '@polymm/venue';
import { until } from '../support/wait.js';

const INTERVAL = 60_000;

/** A venue whose next 1-minute market opens 5 s from now, and a bot quoting on it. */
async function quotingBot(cancelDeadlineMs: number) {
  const now = Date.now();
  const offset = Math.ceil(now / INTERVAL) * INTERVAL - now - 5_000 + INTERVAL; // the bot is up well before it opens
  const clock = (): number => Date.now() + offset;
  const venue = await startVenue({
    port: 0,
    clock,
    tickMs: 20,
    options: { seed: 13, intervalMs: INTERVAL, participants: false },
  });
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }),
  );
  const cfg = loadConfig({
    flags: {
      sim: { interval: '1m' },
      cutoffMs: 20_000,
      alpha: { minVolSamples: 0 },
      market: { discoveryPollMs: 500, bookStaleMs: 120_000 },
      shutdown: { cancelDeadlineMs },
    },
  });
  const bot = await startBot(cfg, { logger, venue, clock, serveMetrics: false, eventLog: false });
  const open = () => venue.core.openOrders(bot.exchange!.address);
  await until(() => open().length >= 6, 20_000, 'ladders on both tokens');
  return { venue, bot, open, lines };
}

const fault = (control: string, body: object) =>
  fetch(`${control}/faults`, { method: 'POST', body: JSON.stringify(body) });

describe('shutdown under a 429 burst', () => {
  it('retries the final cancel-all until the venue accepts it: no order left, live_orders_at_exit 0', async () => {
    const { venue, bot, open, lines } = await quotingBot(30_000);
    try {
      await fault(venue.urls.control, { http429Burst: 8 });
      const summary = await bot.stop();
      expect(summary.live_orders_at_exit).toBe(0);
      expect(open()).toEqual([]);
      expect(lines.some((l) => l.includes('cancel-all at shutdown failed; retrying'))).toBe(true);
    } finally {
      await venue.close();
    }
  }, 60_000);

  it('when the venue never accepts, gives up at the deadline and says the dead-man switch cancels', async () => {
    const { venue, bot, lines } = await quotingBot(2_000);
    try {
      await fault(venue.urls.control, { http429Burst: 1_000_000 });
      const summary = await bot.stop();
      expect(summary.live_orders_at_exit).toBe(-1);
      expect(lines.some((l) => /not confirmed: heartbeats have stopped.*dead-man switch/.test(l))).toBe(true);
    } finally {
      await venue.close();
    }
  }, 60_000);
});
