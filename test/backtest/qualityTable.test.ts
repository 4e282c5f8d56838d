// The goal verdict of `polymm backtest --table` (pure) and its matrix options.
import { describe, expect, it } from 'vitest';
import { markdownTables, scenarioVerdicts } from '../../src/backtest/qualityTable.js';
import type { BacktestReport } from '../../src/backtest/report.js';
import { qualityMatrix } from '../../src/cli/qualityTable.js';
import { UsageError } from '../../src/cli/usage.js';

const run = (over: Partial<BacktestReport>): BacktestReport => ({
  scenario: 'calm',
  seed: 1,
  strategy: 'spec',
  markets: 4,
  fills: 10,
  volume_usdc: 100,
  pnl_usdc: 1,
  pnl_per_share: 0.01,
  fees_usdc: 0,
  rebates_usdc: 0,
  markout_1s: 0,
  markout_5s: 0.001,
  markout_30s: 0,
  markout_settle: 0,
  max_unpaired_shares: 20,
  one_leg_markets: 0,
  orders_posted: 50,
  orders_cancelled: 40,
  orders_after_cutoff: 0,
  invariant_breaches: 0,
  brier: 0.2,
  events: 1000,
  sim_seconds: 100,
  wall_seconds: 1,
  events_per_s: 1000,
  ...over,
});
const limits = { maxUnpairedShares: 200 };

describe('quality table verdict', () => {
  const seeds = [1, 2, 3];
  const calm = (spec: number[], naive: number[]): BacktestReport[] => [
    ...seeds.map((seed, i) => run({ seed, pnl_per_share: spec[i]! })),
    ...seeds.map((seed, i) => run({ seed, strategy: 'naive', pnl_per_share: naive[i]! })),
  ];

  it('met when spec beats every baseline on the mean over seeds and keeps its limits', () => {
    const [v] = scenarioVerdicts(calm([0.02, 0.01, 0.03], [0.01, 0.02, 0.0]), limits);
    expect(v).toMatchObject({ scenario: 'calm', seeds: 3, seedsWon: 2, ok: true, failed: [] });
    expect(v!.pnlPerShare).toEqual({ spec: 0.02, naive: 0.01 });
  });

  it('names each condition that fails', () => {
    const reports = calm([0.0, 0.0, 0.0], [0.01, 0.01, 0.01]).map((r) =>
      r.strategy === 'spec'
        ? { ...r, markout_5s: -0.01, max_unpaired_shares: 250, invariant_breaches: 1 }
        : { ...r, orders_after_cutoff: 1 },
    );
    const [v] = scenarioVerdicts(reports, limits);
    expect(v!.ok).toBe(false);
    expect(v!.failed).toEqual([
      'pnl_per_share not above naive',
      'markout_5s below 0',
      'orders after cutoff',
      'invariant breaches',
      'max_unpaired_shares above taker.maxUnpairedShares',
    ]);
  });

  it('a tie is not a win, and one verdict per scenario', () => {
    const reports = [
      ...calm([0.01, 0.01, 0.01], [0.01, 0.01, 0.01]),
      run({ scenario: 'jumpy' }),
      run({ scenario: 'jumpy', strategy: 'follow', pnl_per_share: -1 }),
    ];
    const vs = scenarioVerdicts(reports, limits);
    expect(vs.map((v) => [v.scenario, v.ok])).toEqual([
      ['calm', false],
      ['jumpy', true],
    ]);
  });

  it('prints a row per run and a goal row per scenario', () => {
    const reports = calm([0.02, 0.01, 0.03], [0.01, 0.02, 0.0]);
    const md = markdownTables(reports, scenarioVerdicts(reports, limits)).split('\n');
    expect(md[0]).toContain('| scenario | strategy | seed |');
    expect(md.filter((l) => l.startsWith('| calm | spec |'))).toHaveLength(3);
    expect(md.at(-1)).toBe('| calm | 3 | 0.0200 | 0.0100 | 2/3 | 0.0010 | 0 | 20 | met |');
  });
});

describe('quality matrix options', () => {
  it('defaults to every scenario, three seeds and the three strategies', () => {
    expect(qualityMatrix({})).toEqual({
      scenarios: ['calm', 'trending', 'jumpy', 'flash-crash', 'oracle-stall'],
      seeds: [1, 2, 3],
      strategies: ['spec', 'naive', 'follow'],
    });
    expect(qualityMatrix({ scenarios: 'jumpy, calm', seeds: '4', strategies: 'spec' })).toEqual({
      scenarios: ['jumpy', 'calm'],
      seeds: [4],
      strategies: ['spec'],
    });
  });

  it('an unknown name or a bad seed is a usage error', () => {
    expect(() => qualityMatrix({ scenarios: 'calmish' })).toThrow(UsageError);
    expect(() => qualityMatrix({ strategies: 'spec,smart' })).toThrow(/unknown strategy smart/);
    expect(() => qualityMatrix({ seeds: '1,x' })).toThrow(/--seeds/);
  });
});
