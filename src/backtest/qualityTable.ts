// Issue 12's goal, judged from backtest reports (pure): per scenario, over its seeds, does the spec
// strategy beat both baselines per share, without adverse selection, inside its safety limits?
import type { BacktestReport } from './report.js';

export interface GoalLimits {
  /** taker.maxUnpairedShares: no market may hold more unpaired shares. */
  readonly maxUnpairedShares: number;
}

export interface ScenarioVerdict {
  readonly scenario: string;
  readonly seeds: number;
  /** Mean over seeds of each strategy's pnl_per_share. */
  readonly pnlPerShare: Readonly<Record<string, number>>;
  /** Seeds on which spec's pnl_per_share beat both baselines. */
  readonly seedsWon: number;
  readonly specMarkout5s: number;
  readonly specOneLegMarkets: number;
  readonly specMaxUnpaired: number;
  readonly ordersAfterCutoff: number;
  readonly invariantBreaches: number;
  /** Every condition of the goal held; `failed` names the ones that did not. */
  readonly ok: boolean;
  readonly failed: readonly string[];
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

export function scenarioVerdicts(reports: readonly BacktestReport[], limits: GoalLimits): ScenarioVerdict[] {
  const scenarios = [...new Set(reports.map((r) => r.scenario))];
  return scenarios.map((scenario) => {
    const of = (strategy: string): BacktestReport[] =>
      reports.filter((r) => r.scenario === scenario && r.strategy === strategy);
    const spec = of('spec');
    const strategies = [...new Set(reports.filter((r) => r.scenario === scenario).map((r) => r.strategy))];
    const pnlPerShare = Object.fromEntries(strategies.map((s) => [s, r4(mean(of(s).map((r) => r.pnl_per_share)))]));
    const baselines = strategies.filter((s) => s !== 'spec');
    const seedsWon = spec.filter((r) =>
      baselines.every((b) => {
        const other = of(b).find((o) => o.seed === r.seed);
        return other === undefined || r.pnl_per_share > other.pnl_per_share;
      }),
    ).length;
    const all = reports.filter((r) => r.scenario === scenario);
    const v = {
      scenario,
      seeds: spec.length,
      pnlPerShare,
      seedsWon,
      specMarkout5s: r4(mean(spec.map((r) => r.markout_5s))),
      specOneLegMarkets: spec.reduce((a, r) => a + r.one_leg_markets, 0),
      specMaxUnpaired: Math.max(0, ...spec.map((r) => r.max_unpaired_shares)),
      ordersAfterCutoff: all.reduce((a, r) => a + r.orders_after_cutoff, 0),
      invariantBreaches: all.reduce((a, r) => a + r.invariant_breaches, 0),
    };
    const failed = [
      ...(spec.length === 0 ? ['no spec run'] : []),
      ...baselines.filter((b) => !(pnlPerShare.spec! > pnlPerShare[b]!)).map((b) => `pnl_per_share not above ${b}`),
      ...(!(v.specMarkout5s >= 0) ? ['markout_5s below 0'] : []),
      ...(v.ordersAfterCutoff > 0 ? ['orders after cutoff'] : []),
      ...(v.invariantBreaches > 0 ? ['invariant breaches'] : []),
      ...(v.specMaxUnpaired > limits.maxUnpairedShares ? ['max_unpaired_shares above taker.maxUnpairedShares'] : []),
    ];
    return { ...v, ok: failed.length === 0, failed };
  });
}

const COLUMNS: ReadonlyArray<[string, (r: BacktestReport) => string]> = [
  ['scenario', (r) => r.scenario],
  ['strategy', (r) => r.strategy],
  ['seed', (r) => String(r.seed)],
  ['markets', (r) => String(r.markets)],
  ['pnl_usdc', (r) => r.pnl_usdc.toFixed(2)],
  ['pnl_per_share', (r) => r.pnl_per_share.toFixed(4)],
  ['markout_5s', (r) => r.markout_5s.toFixed(4)],
  ['fills', (r) => String(r.fills)],
  ['max_unpaired_shares', (r) => String(r.max_unpaired_shares)],
  ['one_leg_markets', (r) => String(r.one_leg_markets)],
  ['after_cutoff', (r) => String(r.orders_after_cutoff)],
  ['breaches', (r) => String(r.invariant_breaches)],
];

/** The runs, then the verdict per scenario, as markdown. */
export function markdownTables(reports: readonly BacktestReport[], verdicts: readonly ScenarioVerdict[]): string {
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const runs = [
    row(COLUMNS.map(([h]) => h)),
    row(COLUMNS.map(() => '---')),
    ...reports.map((r) => row(COLUMNS.map(([, f]) => f(r)))),
  ];
  const strategies = [...new Set(reports.map((r) => r.strategy))];
  const head = [
    'scenario',
    'seeds',
    ...strategies.map((s) => `${s} pnl/share`),
    'spec won seeds',
    'spec markout_5s',
    'spec one_leg',
    'spec max_unpaired',
    'goal',
  ];
  const goal = [
    row(head),
    row(head.map(() => '---')),
    ...verdicts.map((v) =>
      row([
        v.scenario,
        String(v.seeds),
        ...strategies.map((s) => (v.pnlPerShare[s] ?? Number.NaN).toFixed(4)),
        `${v.seedsWon}/${v.seeds}`,
        v.specMarkout5s.toFixed(4),
        String(v.specOneLegMarkets),
        String(v.specMaxUnpaired),
        v.ok ? 'met' : `not met: ${v.failed.join('; ')}`,
      ]),
    ),
  ];
  return [...runs, '', ...goal].join('\n');
}
