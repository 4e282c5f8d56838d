// The backtest end to end, in virtual time: the bot's own pipeline against the venue core. Short
// runs (one or two 1-minute markets) so the file stays under ~20 s.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { map, type OperatorFunction } from 'rxjs';
import { runBacktest, type BacktestOptions } from '../../src/backtest/run.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Feed, InputEvent } from '../../src/domain/index.js';
import { strategy } from '../../src/operators/strategy.js';
import { replay } from '../../src/replay/replay.js';
import type { BotEvent } from '../../src/domain/index.js';
import type { EventLogHeader } from '../../src/sinks/eventLog.js';
import { silentLogger } from '../../src/sinks/logger.js';
import type { StrategyEvent } from '../../src/strategy/step.js';

const base = (over: Partial<BacktestOptions> = {}): BacktestOptions => ({
  scenario: 'calm',
  seed: 7,
  markets: 2,
  interval: '1m',
  strategy: 'spec',
  cfg: loadConfig({}),
  logger: silentLogger(),
  ...over,
});

/** Without the wall-clock fields. */
const simulated = (r: Record<string, unknown>): Record<string, unknown> => {
  const { wall_seconds: _w, events_per_s: _e, ...rest } = r;
  return rest;
};

/** A deliberately broken strategy: the spec quotes, 5 cents higher (above its own caps). */
const greedy =
  (cfg: Config, feeds: readonly Feed[]): OperatorFunction<InputEvent, StrategyEvent> =>
  (source) =>
    source.pipe(
      strategy(cfg, feeds),
      map((ev) =>
        ev.kind === 'decision'
          ? {
              ...ev,
              desired: {
                ...ev.desired,
                orders: ev.desired.orders.map((o) => ({
                  ...o,
                  price: Math.min(0.99, Math.round((o.price + 0.05) * 100) / 100),
                })),
              },
            }
          : ev,
      ),
    );

/** Run the report's chart script against a stub uPlot; what each chart was given. */
function drawnCharts(html: string): Array<{ id: string; series: number; data: unknown[][] }> {
  expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i); // nothing fetched: opens offline
  expect(html).toContain('uPlot'); // the library is inlined
  const json = /<script id="data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!;
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const drawn: Array<{ id: string; series: number; data: unknown[][] }> = [];
  const document = { getElementById: (id: string) => (id === 'data' ? { textContent: json } : { id }) };
  class UPlotStub {
    constructor(opts: { series: unknown[] }, data: unknown[][], el: { id: string }) {
      drawn.push({ id: el.id, series: opts.series.length, data });
    }
  }
  runInNewContext(scripts.at(-1)!, { document, uPlot: UPlotStub, JSON });
  return drawn;
}

describe('polymm backtest', () => {
  it('its event log (loss limit off) replays exactly: the header loads again after JSON', async () => {
    const lines: string[] = [];
    await runBacktest(base({ markets: 1, record: (l) => lines.push(JSON.stringify(l)) }));
    const [header, ...events] = lines.map((l) => JSON.parse(l) as EventLogHeader | BotEvent);
    expect(header?.kind).toBe('header');
    const r = replay(events as BotEvent[], header as EventLogHeader);
    expect(r.decisions_logged).toBeGreaterThan(0);
    expect(r.mismatches).toBe(0);
    expect(r.unusable_inputs).toBe(0);
  }, 60_000);

  it('trades, never after the cutoff, breaks no invariant, and the same seed gives the same report', async () => {
    const a = await runBacktest(base());
    const b = await runBacktest(base());
    expect(simulated({ ...a.report })).toEqual(simulated({ ...b.report }));
    expect(a.report.orders_posted).toBeGreaterThan(0);
    expect(a.report.fills).toBeGreaterThan(0);
    expect(a.report.orders_after_cutoff).toBe(0);
    expect(a.report.invariant_breaches).toBe(0);
    expect(a.report.markets).toBe(2);
    expect(a.rows).toHaveLength(2);
    expect(a.rows.every((r) => r.winner === 'Up' || r.winner === 'Down')).toBe(true);
    // The total is the sum of the markets' PnL; every share counted is on one of them.
    expect(a.report.pnl_usdc).toBeCloseTo(
      a.rows.reduce((s, r) => s + r.pnlUsdc, 0),
      3,
    );
    expect(a.report.brier).toBeGreaterThan(0);
    expect(a.report.brier).toBeLessThan(1);
    expect(a.report.sim_seconds).toBe(30 + 120 + 35);
    // Settlement returned the collateral: nothing is left in shares, the account holds start + PnL.
    expect(a.account.sharesHeld).toBe(0);
    expect(a.account.collateralUsdc).toBeCloseTo(10_000 + a.report.pnl_usdc, 2);
  }, 120_000); // two backtests of two markets: ~15 s on an idle 2-core machine, twice that under load

  it('the market feed never falls silent between two markets: no market_feed_down halt on a calm venue', async () => {
    const halts: string[][] = [];
    await runBacktest(
      base({
        markets: 2,
        interval: '15m',
        observe: { bot: (ev) => void (ev.kind === 'halt' && halts.push([...ev.reasons])) },
      }),
    );
    // Only the start's wait for the user feed; before the makers rolled over to the next market, its
    // book and the closing one's were quiet for 20 s and the bot halted 10 s before every end.
    expect(halts.flat().filter((r) => r !== 'user_feed_down')).toEqual([]);
    expect(halts.length).toBeGreaterThan(0);
  }, 60_000);

  it('frames handed over decoded give the run that JSON text gives: the same event log, line for line', async () => {
    const run = async (frames: 'decoded' | 'text'): Promise<string[]> => {
      const lines: string[] = [];
      await runBacktest(base({ markets: 1, frames, record: (l) => lines.push(JSON.stringify(l)) }));
      return lines;
    };
    const decoded = await run('decoded');
    const text = await run('text');
    expect(decoded.length).toBeGreaterThan(1000);
    expect(decoded.some((l) => l.includes('"kind":"fill"'))).toBe(true);
    expect(decoded).toEqual(text);
  }, 60_000);

  it('the daily loss limit is off unless asked for; asked for, it latches and the bot stops posting', async () => {
    const tiny = loadConfig({ flags: { risk: { dailyLossLimitUsdc: 1e-6 } } });
    const ignored = await runBacktest(base({ markets: 1, cfg: tiny }));
    const applied = await runBacktest(base({ markets: 1, cfg: tiny, dailyLossLimit: true }));
    expect(ignored.report.orders_posted).toBeGreaterThan(0);
    expect(applied.report.orders_posted).toBeLessThan(ignored.report.orders_posted);
  }, 60_000);

  it('a pipeline that fails is an error, not a report', async () => {
    const broken =
      (cfg: Config, feeds: readonly Feed[]): OperatorFunction<InputEvent, StrategyEvent> =>
      (source) =>
        source.pipe(
          strategy(cfg, feeds),
          map((ev) => {
            if (ev.kind === 'decision') throw new Error('strategy bug');
            return ev;
          }),
        );
    await expect(runBacktest(base({ markets: 1, strategyOverride: broken }))).rejects.toThrow(
      /backtest pipeline failed at .*strategy bug/,
    );
  }, 30_000);

  it('a strategy quoting above its caps shows up in invariant_breaches', async () => {
    const r = await runBacktest(base({ markets: 1, strategyOverride: greedy }));
    expect(r.report.invariant_breaches).toBeGreaterThan(0);
    expect(r.breaches.above_cap).toBeGreaterThan(0);
    expect(r.report.strategy).toBe('spec*');
  }, 30_000);

  it('the naive baseline runs through the same sink, inside its own combined-bid limit; its HTML report is self-contained and draws every chart', async () => {
    const r = await runBacktest(base({ markets: 1, strategy: 'naive', html: true }));
    expect(r.report.orders_posted).toBeGreaterThan(0);
    expect(r.report.invariant_breaches).toBe(0);
    expect(r.report.fees_usdc).toBe(0); // no taker orders
    const charts = drawnCharts(r.html!);
    expect(charts.map((c) => c.id)).toEqual(['pnl', 'inventory', 'markout', 'calibration', 'quotes']);
    for (const c of charts) {
      // uPlot wants one value per x for every series, and something to draw.
      expect(c.data[0]!.length, c.id).toBeGreaterThan(0);
      for (const ys of c.data) expect(ys.length, c.id).toBe(c.data[0]!.length);
      expect(c.series).toBe(c.data.length);
    }
  }, 30_000);
});
