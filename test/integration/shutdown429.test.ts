// Shutdown under the venue's 429 fault (issue 13 #4): the final cancel-all keeps trying as the venue
// asks; when the burst ends it is confirmed (no order left), when it never ends the bot says it
// relies on the exchange's dead-man switch. And a fill between the stop and the final cancel-all
// (the user feed has ended) is read back from the venue: counted and logged, not lost.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load.js';
import { startBot } from '../../src/app.js';
import { createLogger } from '../../src/sinks/logger.js';
import { startVenue } from '@polymm/venue';
import type { BotEvent } from '../../src/domain/index.js';
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
  const events: BotEvent[] = [];
  const bot = await startBot(cfg, {
    logger,
    venue,
    clock,
    serveMetrics: false,
    eventLog: false,
    onEvent: (ev) => events.push(ev),
  });
  const open = () => venue.core.openOrders(bot.exchange!.address);
  await until(() => open().length >= 6, 20_000, 'ladders on both tokens');
  return { venue, bot, open, lines, events, clock };
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

describe('fills during shutdown', () => {
  it('a fill between the stop and the final cancel-all is read back from the venue: counted and logged', async () => {
    const { venue, bot, open, lines, events, clock } = await quotingBot(30_000);
    try {
      const ours = open();
      const m = venue.core.markets().find((x) => x.conditionId === ours[0]!.conditionId)!;
      const bestUp = Math.max(...ours.filter((o) => o.tokenId === m.tokenUp).map((o) => o.price));
      const other = '0x' + 'ab'.repeat(20);
      venue.core.ensureAccount(other);
      const seen = events.filter((e) => e.kind === 'fill').length;
      const stopping = bot.stop(); // the inputs, the user feed among them, end here
      // Someone buys Down at 1 - our best Up bid before the final cancel-all reaches the venue.
      const hit = venue.core.placeOrder(
        {
          owner: other,
          tokenId: m.tokenDown,
          side: 'BUY',
          price: Number((1 - bestUp).toFixed(2)),
          size: 5,
          orderType: 'FAK',
          postOnly: false,
          expirationS: 0,
        },
        clock(),
      );
      expect(hit.success).toBe(true);
      const summary = await stopping;
      const late = events.filter((e) => e.kind === 'fill').slice(seen);
      expect(late.map((e) => (e.kind === 'fill' ? [e.fill.outcome, e.fill.price, e.fill.size] : []))).toEqual([
        ['up', bestUp, 5],
      ]);
      expect(summary.fills).toBe(seen + 1);
      expect(lines.some((l) => l.includes('fills during shutdown, read back from the venue'))).toBe(true);
      expect(summary.live_orders_at_exit).toBe(0);
    } finally {
      await venue.close();
    }
  }, 60_000);
});
