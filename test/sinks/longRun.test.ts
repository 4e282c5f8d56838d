// A bot runs for weeks: what its side folds and metrics keep per market must go once the market is
// over, or every book event copies a map of every market ever seen (a month: ~1 ms per book event in
// the summary alone, bench/longRun.ts) and /metrics grows by a few series a market. A month of
// markets here, each quoted, filled, resolved and redeemed.
import { describe, expect, it } from 'vitest';
import type { BotEvent } from '../../src/domain/index.js';
import { marketLife as life, marketNo } from '../../bench/support/marketLife.js';
import { foldPositions, NO_POSITIONS, positionsForEngine } from '../../src/inventory/positions.js';
import { EMPTY_DASHBOARD, foldDashboard } from '../../src/cli/dashboard.js';
import { LivePnl } from '../../src/resolver/livePnl.js';
import { createMetrics } from '../../src/sinks/metrics.js';
import { EMPTY_STATUS, foldStatus } from '../../src/sinks/statusView.js';
import { EMPTY_SUMMARY, foldSummary, pnlOf, realizedOf, toRunSummary } from '../../src/sinks/summary.js';

const MONTH = 30 * 96;

const month = (): BotEvent[] => Array.from({ length: MONTH }, (_, i) => life(i, i % 3 !== 2)).flat();

describe('a month of markets', () => {
  it('the summary keeps the markets in play only, its totals whole; resolved holdings are valued by the winner', () => {
    let s = EMPTY_SUMMARY;
    for (const ev of month()) s = foldSummary(s, ev, 15_000);
    expect(s.marks.size).toBeLessThanOrEqual(4);
    for (const kept of [s.markets, s.holdings, s.marketCash, s.unpaired, s.winners])
      expect(kept.size).toBeLessThanOrEqual(8);
    // Each traded market bought a set at 0.90 and redeemed 10: +1 each; nothing held.
    const traded = Array.from({ length: MONTH }, (_, i) => i).filter((i) => i % 3 !== 2).length;
    expect(pnlOf(s)).toBeCloseTo(traded * 1, 6);
    expect(realizedOf(s)).toBeCloseTo(traded * 1 + s.rebatesUsdc, 6); // realized counts the estimated rebates
    expect(toRunSummary(s, { liveOrders: 0 })).toMatchObject({ fills: 2 * traded });
  });

  it('a resolved market still held is valued at its winner; an ended market still held keeps its mark', () => {
    const [a, b] = [marketNo(0), marketNo(1)];
    const evs = [...life(0), ...life(1)].filter(
      (e) =>
        e.kind !== 'inventoryOp' && !(e.kind === 'market' && e.market.winner && e.market.conditionId === b.conditionId),
    );
    let s = EMPTY_SUMMARY;
    for (const ev of evs) s = foldSummary(s, ev, 15_000);
    // A new market far later: b ended hours ago, unresolved, still held: its marks stay.
    s = foldSummary(s, { kind: 'market', tsMs: b.endMs + 5 * 3_600_000, market: marketNo(30) }, 15_000);
    expect(s.marks.get(b.tokenUp)).toBe(0.5);
    expect(s.marks.has(a.tokenUp)).toBe(false);
    // a: 10 Up (winner, 1) + 10 Down (0); b: 10 + 10 at mid 0.5; cash: 4 buys of 10 at 0.45.
    expect(pnlOf(s)).toBeCloseTo(10 + 10 - 4 * 4.5, 6);
  });

  it('the terminal dashboard keeps the book tops and prices to beat of those markets', () => {
    let d = EMPTY_DASHBOARD;
    for (const ev of month()) d = foldDashboard(d, ev, 15_000);
    expect(d.tops.size).toBeLessThanOrEqual(2 * d.summary.markets.size);
    expect(d.summary.markets.size).toBeLessThanOrEqual(8);
    expect(d.tops.has(marketNo(MONTH - 1).tokenUp)).toBe(true);
  });

  it('the status view keeps the markets of the last hour', () => {
    let s = EMPTY_STATUS;
    for (const ev of month()) s = foldStatus(s, ev);
    expect(s.markets.size).toBeLessThanOrEqual(8);
    expect(s.markets.has(marketNo(MONTH - 1).conditionId)).toBe(true);
  });

  it('metrics drop a market’s series once it is resolved, and keep the last settlement diffs', async () => {
    const metrics = createMetrics(() => 0);
    let view = EMPTY_STATUS;
    for (const ev of month()) {
      metrics.observe(ev, view);
      view = foldStatus(view, ev);
    }
    const perMarket = (await metrics.registry.getMetricsAsJSON())
      .filter((m) => m.name !== 'polymm_events_total')
      .flatMap((m) => m.values.map((v) => ({ name: m.name, market: v.labels.market })))
      .filter((v) => v.market !== undefined);
    expect(perMarket.filter((v) => v.name !== 'polymm_price_to_beat_gamma_diff_usd')).toEqual([]);
    expect(perMarket.map((v) => v.market)).toEqual(
      Array.from({ length: 8 }, (_, k) => `btc-updown-15m-${MONTH - 8 + k}`),
    );
  });

  it('chain positions forget markets settled over a day ago; a repeated status within the day counts once', () => {
    let ps = NO_POSITIONS;
    const evs = month();
    for (const ev of evs) ps = foldPositions(ps, ev);
    expect(ps.size).toBeLessThanOrEqual(2 * 96 + 2);
    expect(positionsForEngine(ps)).toEqual([]);
    // The last market's fill repeated (a CONFIRMED status sent again): still counted once.
    const again = evs.filter((e) => e.kind === 'fill').at(-1)!;
    expect(positionsForEngine(foldPositions(ps, again))).toEqual([]);
  });

  it('live PnL forgets a market we did not trade an hour after its end; a fill reported late within it still counts', () => {
    const pnl = new LivePnl();
    for (const ev of month()) {
      pnl.record(ev);
      if (ev.kind === 'inventoryOp') pnl.settle(ev.conditionId, ev.tsMs);
    }
    expect(pnl.kept()).toBeLessThanOrEqual(6);
    // An untraded market, resolved; our fill reported after the resolution (a reconcile after an
    // outage): its market and winner are still there, so its PnL is reported.
    const late = new LivePnl();
    const [discovered, , , , , fillUp, fillDown, resolved] = life(0);
    for (const ev of [discovered!, resolved!, fillUp!, fillDown!]) late.record(ev);
    expect(late.traded()).toEqual([marketNo(0).conditionId]);
    expect(late.settle(marketNo(0).conditionId, marketNo(0).endMs + 120_000)).toMatchObject({
      kind: 'marketPnl',
      winner: 'up',
    });
  });
});
