// `polymm status` and `polymm cancel-all` against a running bot on the simulated venue: status
// matches what the bot and the venue hold; cancel-all halts the bot (it stays halted) and leaves
// the account with 0 open orders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startBot, type Bot } from '../../src/app.js';
import { runCancelAllCommand, runStatusCommand, statusTable } from '../../src/cli/control.js';
import type { StatusSnapshot } from '../../src/sinks/statusView.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { startVenue, type RunningVenue } from '../../src/venue/server/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(f: () => T | undefined | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

let venue: RunningVenue;
let bot: Bot;
const cmdCfg = () => loadConfig({ flags: { metricsPort: bot.metricsPort } });
const mine = () => venue.core.openOrders(bot.exchange!.address);

beforeAll(async () => {
  // A 1-minute market opens 1.5 s after the venue starts (its schedule's phase, not the UTC grid).
  venue = await startVenue({ port: 0, tickMs: 20, options: { seed: 21, intervalMs: 60_000, participants: false, scheduleOriginMs: Date.now() + 1_500 } });
  const cfg = loadConfig({ flags: { sim: { interval: '1m' }, cutoffMs: 15_000, metricsPort: 0, market: { discoveryPollMs: 500 }, alpha: { minVolSamples: 0 } } });
  bot = await startBot(cfg, { logger: silentLogger(), venue, eventLog: false });
  await until(() => mine().length >= 4, 15_000, 'the bot quoting');
}, 30_000);

afterAll(async () => {
  await bot.stop();
  await venue.close();
});

describe('operator commands against a running bot', () => {
  it('status --json matches the bot and the venue', async () => {
    // The bot re-quotes while we read: compare at a quiet moment (the same ids on both sides).
    let snap: StatusSnapshot | undefined;
    for (let i = 0; i < 20; i++) {
      const out: string[] = [];
      expect(await runStatusCommand(cmdCfg(), true, (l) => out.push(l))).toBe(0);
      const s = (JSON.parse(out[0]!) as { status: StatusSnapshot }).status;
      const ids = (xs: readonly string[]) => [...xs].sort().join();
      if (ids(s.openOrders!.map((o) => o.orderId)) === ids(mine().map((o) => o.id))) {
        snap = s;
        break;
      }
      await sleep(100);
    }
    if (!snap) throw new Error('status never matched the venue\'s open orders');
    expect(snap.openOrders!.length).toBeGreaterThanOrEqual(4);
    const live = venue.core.markets().find((m) => m.status === 'open')!;
    const m = snap.markets.find((x) => x.conditionId === live.conditionId)!;
    expect(m.slug).toBe(live.slug);
    expect(m.quotes.length).toBeGreaterThan(0);
    expect(m.regime).not.toBeNull();
    expect(snap.halts).toEqual([]);
    expect(snap.feeds).toMatchObject({ market: 'up', user: 'up' });
    expect(snap.heartbeat.ok).toBe(true);
    const table = statusTable(snap).join('\n');
    expect(table).toContain(live.slug);
    expect(table).toMatch(/open orders: \d+/);
  });

  it('cancel-all halts the bot and leaves no open order; the bot does not quote again', async () => {
    const out: string[] = [];
    expect(await runCancelAllCommand(cmdCfg(), (l) => out.push(l))).toBe(0);
    expect(JSON.parse(out[0]!)).toEqual({ cancelAll: { bot: 'halted', venue: 'skipped (no wallet.privateKey for a live venue)', open_orders: 0 } });
    expect(mine()).toEqual([]);
    await sleep(2_000);
    expect(mine()).toEqual([]);
    const status: string[] = [];
    await runStatusCommand(cmdCfg(), true, (l) => status.push(l));
    expect((JSON.parse(status[0]!) as { status: StatusSnapshot }).status.halts).toContain('operator_halt');
  });
});
