// The weekly engine restart and cancel-only mode on the simulated venue (its knobs, and the weekly
// schedule's pure function): while order endpoints
// refuse (425 restarting, 503 cancel-only) the bot posts nothing that rests, retries at a bounded
// pace (no busy loop), keeps its heartbeats; in post-only mode its post-only quotes go through;
// back to normal it quotes again by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startBot, type Bot } from '../../src/app.js';
import type { BotEvent, ExecutionEvent } from '../../src/domain/index.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { engineRefusal, weeklyMode } from '@polymm/venue';
import { sleep, until } from '../support/wait.js';

describe('engine windows (pure)', () => {
  it('the weekly schedule: Tuesday 07:00 New York, 90 s restarting then 2 min post-only', () => {
    const tue7 = Date.UTC(2026, 11, 1, 12, 0, 0); // Tuesday 1 December 2026, 07:00 EST
    expect(weeklyMode(tue7 - 1)).toBe('normal');
    expect(weeklyMode(tue7)).toBe('restarting');
    expect(weeklyMode(tue7 + 89_999)).toBe('restarting');
    expect(weeklyMode(tue7 + 90_000)).toBe('postOnly');
    expect(weeklyMode(tue7 + 209_999)).toBe('postOnly');
    expect(weeklyMode(tue7 + 210_000)).toBe('normal');
    expect(weeklyMode(tue7 + 86_400_000)).toBe('normal'); // Wednesday
    expect(weeklyMode(Date.UTC(2026, 6, 7, 11, 0, 30))).toBe('restarting'); // 07:00:30 EDT in July
  });

  it('what each mode refuses', () => {
    expect(engineRefusal('restarting', 'order', true)?.status).toBe(425);
    expect(engineRefusal('restarting', 'cancel', true)?.status).toBe(425);
    expect(engineRefusal('postOnly', 'order', true)).toBeUndefined();
    expect(engineRefusal('postOnly', 'order', false)?.status).toBe(425);
    expect(engineRefusal('cancelOnly', 'order', true)?.status).toBe(503);
    expect(engineRefusal('cancelOnly', 'cancel', true)).toBeUndefined();
    expect(engineRefusal('normal', 'order', false)).toBeUndefined();
  });
});

let venue: RunningVenue;
let bot: Bot;
const events: BotEvent[] = [];
const mine = () => venue.core.openOrders(bot.exchange!.address);
/** The venue's knobs for each mode ('' and 'normal': none). */
const KNOBS: Record<string, Record<string, boolean>> = {
  restarting: { engineRestart: true },
  postOnly: { postOnlyMode: true },
  cancelOnly: { cancelOnly: true },
};
const setMode = (mode: string) =>
  fetch(`${venue.urls.control}/faults`, {
    method: 'POST',
    body: JSON.stringify({ engineRestart: false, postOnlyMode: false, cancelOnly: false, ...KNOBS[mode] }),
  });
const posts = (fromMs: number, toMs: number) =>
  events.filter(
    (e): e is ExecutionEvent => e.kind === 'execution' && e.action === 'post' && e.tsMs >= fromMs && e.tsMs < toMs,
  );

beforeAll(async () => {
  venue = await startVenue({
    port: 0,
    tickMs: 20,
    options: { seed: 31, intervalMs: 60_000, participants: false, scheduleOriginMs: Date.now() - 5_000 },
  });
  const cfg = loadConfig({
    flags: {
      sim: { interval: '1m' },
      cutoffMs: 10_000,
      market: { discoveryPollMs: 500 },
      alpha: { minVolSamples: 0 },
      heartbeat: { intervalMs: 500, graceMs: 5_000 },
    },
  });
  bot = await startBot(cfg, {
    logger: silentLogger(),
    venue,
    eventLog: false,
    serveMetrics: false,
    onEvent: (e) => events.push(e),
  });
  await until(() => mine().length >= 4, 15_000, 'the bot quoting');
}, 30_000);

afterAll(async () => {
  await setMode('');
  await bot.stop();
  await venue.close();
});

describe('the bot through the engine windows', () => {
  for (const mode of ['restarting', 'cancelOnly'] as const) {
    it(`${mode}: nothing rests, retries are paced, heartbeats continue; quotes again afterwards`, async () => {
      await setMode(mode);
      // Our orders gone (as after a restart): the bot wants to re-post and is refused.
      venue.core.cancelAll(bot.exchange!.address, Date.now());
      const t0 = Date.now();
      const heartbeatsBefore = events.filter((e) => e.kind === 'heartbeat' && e.ok).length;
      for (let i = 0; i < 30; i++) {
        expect(mine()).toEqual([]);
        await sleep(100);
      }
      const t1 = Date.now();
      const refused = posts(t0, t1);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((e) => !e.ok)).toBe(true);
      expect(refused.length).toBeLessThanOrEqual(4); // backed off (1 s, 2 s, …): not a busy loop
      expect(events.filter((e) => e.kind === 'heartbeat' && e.ok).length).toBeGreaterThan(heartbeatsBefore);
      await setMode('normal');
      await until(() => mine().length >= 4, 10_000, 'quotes after the window');
    }, 30_000);
  }

  it("postOnly: the bot's post-only quotes go through", async () => {
    await setMode('postOnly');
    venue.core.cancelAll(bot.exchange!.address, Date.now());
    await until(() => mine().length >= 4, 10_000, 'post-only quotes');
    await setMode('');
  }, 20_000);
});
