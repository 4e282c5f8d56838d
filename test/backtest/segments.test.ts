// A split backtest (src/backtest/segments.ts): consecutive segments of markets, each an independent
// backtest, their sums added up. The numbers depend on the segments only: the same whether the
// segments run on this thread one after the other or at once on a worker thread, and the same as
// the segments' own runs merged. One-minute markets keep the file to a few seconds.
import { describe, expect, it } from 'vitest';
import { mergeTallies, toReport, type Tally } from '../../src/backtest/report.js';
import { runBacktest, segmentSeed, type BacktestOptions } from '../../src/backtest/run.js';
import type { Worker } from 'node:worker_threads';
import { threadTime } from '../../src/backtest/threadTime.js';
import { runSegmented, segmentInWorker, segmentPlan } from '../../src/backtest/segments.js';
import type { Config } from '../../src/config/schema.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/sinks/logger.js';

const base: BacktestOptions = {
  scenario: 'calm',
  seed: 7,
  markets: 4,
  interval: '1m',
  strategy: 'spec',
  cfg: loadConfig({}),
  logger: silentLogger(),
};

/** Without the wall-clock fields. */
const simulated = (r: object): Record<string, unknown> => {
  const { wall_seconds: _w, events_per_s: _e, ...rest } = r as Record<string, unknown>;
  return rest;
};

const tally = (over: Partial<Tally>): Tally => ({
  fills: 0,
  volume: 0,
  shares: 0,
  pnl: 0,
  fees: 0,
  rebates: 0,
  oneLeg: 0,
  markouts: { sum: [0, 0, 0], shares: [0, 0, 0], settleSum: 0, settleShares: 0 },
  brierSum: 0,
  brierN: 0,
  maxUnpaired: 0,
  ordersPosted: 0,
  ordersCancelled: 0,
  ordersAfterCutoff: 0,
  invariantBreaches: 0,
  events: 0,
  simSeconds: 0,
  ...over,
});

describe('segmentPlan', () => {
  it('consecutive segments covering every market, the first ones longer by one when it does not divide', () => {
    expect(segmentPlan(96, 2)).toEqual([
      { firstMarket: 0, markets: 48 },
      { firstMarket: 48, markets: 48 },
    ]);
    expect(segmentPlan(5, 3)).toEqual([
      { firstMarket: 0, markets: 2 },
      { firstMarket: 2, markets: 2 },
      { firstMarket: 4, markets: 1 },
    ]);
    expect(segmentPlan(3, 1)).toEqual([{ firstMarket: 0, markets: 3 }]);
  });

  it('refuses a count that is not a whole number from 1 to the markets', () => {
    for (const n of [0, 3, 1.5, Number.NaN]) expect(() => segmentPlan(2, n)).toThrow(/segments must be/);
  });
});

describe('segment seeds', () => {
  it('the first segment keeps the seed; the others get distinct unsigned 32-bit seeds', () => {
    expect(segmentSeed(7, 0)).toBe(7);
    const seeds = [1, 2, 48, 95].map((k) => segmentSeed(7, k));
    expect(new Set([7, ...seeds]).size).toBe(5);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(segmentSeed(8, 48)).not.toBe(segmentSeed(7, 48));
  });
});

describe('merging tallies', () => {
  it('adds sums and counts, keeps the largest unpaired, and averages markouts and Brier per share and sample', () => {
    const a = tally({
      fills: 3,
      shares: 30,
      pnl: 3,
      maxUnpaired: 12,
      markouts: { sum: [0.3, 0.6, 0.9], shares: [10, 10, 10], settleSum: 1, settleShares: 10 },
      brierSum: 0.5,
      brierN: 5,
      events: 100,
      simSeconds: 60,
    });
    const b = tally({
      fills: 1,
      shares: 10,
      pnl: -1,
      maxUnpaired: 20,
      markouts: { sum: [0.1, 0, 0], shares: [30, 0, 0], settleSum: 0, settleShares: 0 },
      brierSum: 0.1,
      brierN: 5,
      events: 50,
      simSeconds: 60,
    });
    const run = { scenario: 'calm', seed: 7, strategy: 'spec', markets: 4, segments: 2 };
    const r = toReport(run, mergeTallies([a, b]), 2);
    expect(r).toMatchObject({
      segments: 2,
      fills: 4,
      pnl_usdc: 2,
      pnl_per_share: 0.05,
      max_unpaired_shares: 20,
      markout_1s: 0.01, // (0.3 + 0.1) / 40 shares
      markout_5s: 0.06,
      markout_settle: 0.1,
      brier: 0.06,
      events: 150,
      sim_seconds: 120,
      events_per_s: 75,
    });
    // An unsplit run's line keeps the documented fields only.
    expect(toReport({ ...run, segments: 1 }, a, 1)).not.toHaveProperty('segments');
  });
});

describe('runSegmented', () => {
  it('the same numbers on one thread or two, equal to the segments run alone and merged', async () => {
    const oneThread = await runSegmented({ ...base, segments: 2, threads: 1, workerLogLevel: 'silent' });
    const twoThreads = await runSegmented({ ...base, segments: 2, threads: 2, workerLogLevel: 'silent' });
    expect(simulated(twoThreads.report)).toEqual(simulated(oneThread.report));
    expect(twoThreads.rows).toEqual(oneThread.rows);
    expect(twoThreads.breaches).toEqual(oneThread.breaches);
    expect(twoThreads.segmentWallSeconds).toHaveLength(2);
    expect(twoThreads.segmentWallSeconds.every((s) => s > 0)).toBe(true);
    // Each segment's thread times, on this thread and on the worker (Linux's scheduler statistics).
    if (threadTime()) {
      expect(twoThreads.segmentThreads).toHaveLength(2);
      for (const t of twoThreads.segmentThreads) {
        expect(t!.runS).toBeGreaterThan(0);
        expect(t!.waitS).toBeGreaterThanOrEqual(0);
      }
    }

    const first = await runBacktest({ ...base, markets: 2 });
    const second = await runBacktest({ ...base, firstMarket: 2, markets: 2 });
    const run = { scenario: 'calm', seed: 7, strategy: 'spec', markets: 4, segments: 2 };
    expect(simulated(oneThread.report)).toEqual(simulated(toReport(run, mergeTallies([first.tally, second.tally]), 1)));
    expect(oneThread.rows).toEqual([...first.rows, ...second.rows]);
    // Four consecutive one-minute markets, traded, resolved, nothing after the cutoff.
    const starts = oneThread.rows.map((r) => Number(r.slug.split('-').at(-1)));
    expect(starts).toEqual([0, 1, 2, 3].map((k) => starts[0]! + 60 * k));
    expect(oneThread.rows.every((r) => r.winner !== undefined)).toBe(true);
    expect(first.report.fills).toBeGreaterThan(0);
    expect(second.report.fills).toBeGreaterThan(0);
    expect(oneThread.report).toMatchObject({ segments: 2, markets: 4, orders_after_cutoff: 0, invariant_breaches: 0 });
    expect(oneThread.account.sharesHeld).toBe(0);
  }, 90_000);

  it('a segment that fails on its worker is an error naming the segment, and the worker is gone', async () => {
    const running = new Set<Worker>();
    const job = { ...base, firstMarket: 2, markets: 1, logLevel: 'silent', cfg: {} as Config, logger: undefined };
    await expect(segmentInWorker(job, () => undefined, undefined, running)).rejects.toThrow(
      /^backtest segment from market 2: /,
    );
    expect(running.size).toBe(0);
  }, 60_000);

  it('a run on this thread stops when its split run aborts it (another segment failed)', async () => {
    const stop = new AbortController();
    let progressed = 0;
    const run = runBacktest({
      ...base,
      markets: 2,
      signal: stop.signal,
      onProgress: () => {
        progressed += 1;
        stop.abort();
      },
    });
    await expect(run).rejects.toThrow(/^backtest stopped at /);
    expect(progressed).toBe(1); // no further simulated minute after the abort
  }, 60_000);

  it('one segment is the plain backtest', async () => {
    const split = await runSegmented({ ...base, markets: 2, segments: 1, workerLogLevel: 'silent' });
    const plain = await runBacktest({ ...base, markets: 2 });
    expect(simulated(split.report)).toEqual(simulated(plain.report));
    expect(split.rows).toEqual(plain.rows);
  }, 60_000);
});
