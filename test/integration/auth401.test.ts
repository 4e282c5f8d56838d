// Rejected credentials (issue 13 #5): after the venue forgets our API key (as on its restart) the
// bot derives it again once and trades on; if the venue refuses even fresh keys it halts with one
// clear error, and the log does not flood.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load.js';
import type { BotEvent } from '../../src/domain/index.js';
import { startBot } from '../../src/app.js';
import { createLogger } from '../../src/sinks/logger.js';
import { startVenue } from '@polymm/venue';
import { sleep, until } from '../support/wait.js';

const INTERVAL = 60_000;

async function quotingBot() {
  const now = Date.now();
  const offset = Math.ceil(now / INTERVAL) * INTERVAL - now - 5_000 + INTERVAL; // next market opens in 5 s
  const clock = (): number => Date.now() + offset;
  const venue = await startVenue({
    port: 0,
    clock,
    tickMs: 20,
    options: { seed: 17, intervalMs: INTERVAL, participants: false },
  });
  const lines: string[] = [];
  const events: BotEvent[] = [];
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
      heartbeat: { intervalMs: 300, graceMs: 5_000 },
      shutdown: { cancelDeadlineMs: 1_000 },
    },
  });
  const bot = await startBot(cfg, {
    logger,
    venue,
    clock,
    serveMetrics: false,
    eventLog: false,
    onEvent: (e) => events.push(e),
  });
  const open = () => venue.core.openOrders(bot.exchange!.address);
  await until(() => open().length >= 6, 20_000, 'ladders on both tokens');
  const control = (path: string, body: object = {}) =>
    fetch(`${venue.urls.control}/${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { venue, bot, open, lines, events, clock, control };
}

describe('401 from the venue', () => {
  it('a forgotten key is derived again once, and trading goes on', async () => {
    const { venue, bot, events, clock, control } = await quotingBot();
    try {
      const keyBefore = bot.exchange!.creds.key;
      await control('forget-keys');
      const since = clock();
      await until(
        () => events.some((e) => e.kind === 'heartbeat' && e.ok && e.tsMs > since + 1_000),
        10_000,
        'heartbeats accepted again',
      );
      expect(bot.exchange!.creds.key).not.toBe(keyBefore);
      expect(events.filter((e) => e.kind === 'halt' && e.tsMs > since && e.reasons.includes('auth_refused'))).toEqual(
        [],
      );
      const summary = await bot.stop();
      expect(summary.live_orders_at_exit).toBe(0);
    } finally {
      await venue.close();
    }
  }, 60_000);

  it('keys refused even when derived again: one clear error, a halt, and no log flood', async () => {
    const { venue, bot, events, lines, clock, control } = await quotingBot();
    try {
      await control('faults', { authReject: true });
      const since = clock();
      await until(
        () => events.find((e) => e.kind === 'halt' && e.tsMs > since && e.reasons.includes('auth_refused')),
        10_000,
        'the auth_refused halt',
      );
      const before = lines.length;
      await sleep(3_000);
      // Heartbeats every 300 ms and the halt's cancel-all retries all fail: identical lines are folded.
      expect(lines.length - before).toBeLessThanOrEqual(5);
      expect(lines.join('')).toMatch(/API credentials refused \(401\) even after deriving them again: halting/);
      expect(lines.join('')).not.toContain(bot.exchange!.creds.secret);
      await bot.stop();
    } finally {
      await venue.close();
    }
  }, 60_000);
});
