// `polymm status` and `polymm cancel-all` against a running bot on the simulated venue: status
// matches what the bot and the venue hold; cancel-all halts the bot (it stays halted) and leaves
// the account with 0 open orders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startBot, type Bot } from '../../src/app.js';
import { runCancelAllCommand, runStatusCommand, statusTable } from '../../src/cli/control.js';
import type { StatusSnapshot } from '../../src/sinks/statusView.js';
import { silentLogger } from '../../src/sinks/logger.js';
import { parseExposition } from '../support/prometheus.js';
import { startVenue, type RunningVenue } from '@polymm/venue';
import { sleep, until } from '../support/wait.js';

let venue: RunningVenue;
let bot: Bot;
const cmdCfg = () => loadConfig({ flags: { metricsPort: bot.metricsPort } });
const mine = () => venue.core.openOrders(bot.exchange!.address);

beforeAll(async () => {
  // A 1-minute market that opened 5 s ago (the schedule's phase, not the UTC grid), quoted at once
  // from Gamma's published price to beat: nothing here depends on when the bot comes up.
  venue = await startVenue({
    port: 0,
    tickMs: 20,
    options: { seed: 21, intervalMs: 60_000, participants: false, scheduleOriginMs: Date.now() - 5_000 },
  });
  const cfg = loadConfig({
    flags: {
      sim: { interval: '1m' },
      cutoffMs: 10_000,
      metricsPort: 0,
      market: { discoveryPollMs: 500 },
      alpha: { minVolSamples: 0 },
      // Orders stay where they are once placed (no re-quote passes the churn rules), so the venue's
      // open orders and the status can be compared whatever the machine's load.
      churn: { minUpdateIntervalMs: 600_000, minPriceChangeTicks: 99, minSizeChange: 1_000 },
    },
  });
  bot = await startBot(cfg, { logger: silentLogger(), venue, eventLog: false });
  await until(() => mine().length >= 4, 15_000, 'the bot quoting');
}, 30_000);

afterAll(async () => {
  await bot.stop();
  await venue.close();
});

describe('operator commands against a running bot', () => {
  it('status --json matches the bot and the venue', { timeout: 40_000 }, async () => {
    // The bot re-quotes while we read: compare at a quiet moment (the same ids on both sides).
    let snap: StatusSnapshot | undefined;
    for (let i = 0; i < 100; i++) {
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
    if (!snap) throw new Error("status never matched the venue's open orders");
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

  it('/metrics exports every spec metric, updated, and /healthz answers 200 while healthy', async () => {
    // Take 5 of the bot's best Up bid (a Down buy at the complement matches it by minting).
    const live = venue.core.markets().find((m) => m.status === 'open')!;
    const bid = Math.max(
      ...mine()
        .filter((o) => o.tokenId === live.tokenUp)
        .map((o) => o.price),
    );
    const taker = '0x00000000000000000000000000000000000000e5';
    venue.core.ensureAccount(taker);
    venue.core.placeOrder(
      {
        owner: taker,
        tokenId: live.tokenDown,
        side: 'BUY',
        price: Math.round((1 - bid) * 100) / 100,
        size: 5,
        orderType: 'FAK',
        postOnly: false,
        expirationS: 0,
      },
      Date.now(),
    );
    const scrape = async () =>
      parseExposition(await (await fetch(`http://127.0.0.1:${bot.metricsPort}/metrics`)).text());
    const market = { market: live.conditionId };
    const x = await until(
      async () => {
        const e = await scrape();
        return (e.value('polymm_unpaired_shares', market) ?? 0) >= 5 ? e : undefined;
      },
      5_000,
      'the fill in the metrics',
    );
    for (const name of ['polymm_ws_market_connected', 'polymm_ws_user_connected', 'polymm_rtds_connected'])
      expect(x.value(name)).toBe(1);
    expect(x.value('polymm_ws_message_lag_ms_count', { feed: 'market' })).toBeGreaterThan(0);
    expect(x.value('polymm_ws_message_lag_ms_count', { feed: 'prices' })).toBeGreaterThan(0);
    expect(x.value('polymm_order_submit_latency_ms_count', { action: 'post' })).toBeGreaterThan(0);
    expect(x.value('polymm_order_rejects_total', { action: 'post' })).toBe(0);
    expect(x.value('polymm_fills_total', { outcome: 'up', role: 'MAKER' })).toBeGreaterThanOrEqual(1);
    expect(x.value('polymm_unpaired_shares', market)).toBe(5);
    expect(x.value('polymm_pnl_realized_usdc')).toBe(0); // nothing resolved yet
    expect(x.value('polymm_fee_paid_usdc')).toBe(0); // makers pay none
    expect(x.value('polymm_rebate_estimated_usdc')).toBeGreaterThan(0);
    expect(x.value('polymm_regime', { ...market, regime: 'NORMAL' })).toBe(1);
    expect(x.value('polymm_quoting', market)).toBe(1);
    expect(x.value('polymm_heartbeat_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(x.value('polymm_heartbeat_age_seconds')).toBeLessThan(10);
    // Tokens left, up to the burst; below zero is a debt a burst left (later sends wait for it).
    expect(x.value('polymm_rate_limit_tokens', { bucket: 'order' })).toBeLessThanOrEqual(bot.cfg.rateLimit.orderBurst);
    expect(x.value('polymm_rate_limit_tokens', { bucket: 'cancel' })).toBeLessThanOrEqual(
      bot.cfg.rateLimit.cancelBurst,
    );
    expect(x.value('polymm_event_log_backlog_bytes')).toBe(0); // this bot writes no event log
    expect(x.value('polymm_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(x.types.get('polymm_ws_message_lag_ms')).toBe('histogram');
    const health = await fetch(`http://127.0.0.1:${bot.metricsPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, status: 'ok', halts: [] });
  });

  it('cancel-all halts the bot and leaves no open order; the bot does not quote again', async () => {
    const out: string[] = [];
    expect(await runCancelAllCommand(cmdCfg(), (l) => out.push(l))).toBe(0);
    expect(JSON.parse(out[0]!)).toEqual({
      cancelAll: { bot: 'halted', venue: 'skipped (no wallet.privateKey for a live venue)', open_orders: 0 },
    });
    expect(mine()).toEqual([]);
    await sleep(2_000);
    expect(mine()).toEqual([]);
    const status: string[] = [];
    await runStatusCommand(cmdCfg(), true, (l) => status.push(l));
    expect((JSON.parse(status[0]!) as { status: StatusSnapshot }).status.halts).toContain('operator_halt');
    // Halted with an explicit reason: still 200, the reason in the body.
    const health = await fetch(`http://127.0.0.1:${bot.metricsPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'halted', reason: expect.stringMatching(/operator_halt/) });
  });
});
