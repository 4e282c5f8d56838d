// `polymm backtest --table`: issue 12's goal matrix, scenario × strategy × seed, one backtest at a
// time (they are CPU-bound). stdout: a markdown table of the runs and the goal verdict per scenario,
// then one `{"quality":{…}}` line; stderr: one line per run as it ends.
import type { Config } from '../config/schema.js';
import { scenarioVerdicts, markdownTables } from '../backtest/qualityTable.js';
import type { BacktestReport } from '../backtest/report.js';
import { runBacktest, type StrategyName } from '../backtest/run.js';
import type { Logger } from '../sinks/logger.js';
import type { VScenario } from '@polymm/venue';
import { UsageError } from './usage.js';

export const ALL_SCENARIOS: readonly VScenario[] = ['calm', 'trending', 'jumpy', 'flash-crash', 'oracle-stall'];
const STRATEGIES: readonly StrategyName[] = ['spec', 'naive', 'follow'];

export interface QualityMatrix {
  readonly scenarios: readonly VScenario[];
  readonly seeds: readonly number[];
  readonly strategies: readonly StrategyName[];
}

const list = (text: unknown, fallback: readonly string[]): string[] =>
  typeof text === 'string' && text.trim() !== ''
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [...fallback];

/** The matrix from `--scenarios a,b --seeds 1,2,3 --strategies spec,naive`; an unknown name is a usage error. */
export function qualityMatrix(argv: Record<string, unknown>): QualityMatrix {
  const scenarios = list(argv.scenarios, ALL_SCENARIOS);
  const strategies = list(argv.strategies, STRATEGIES);
  const seeds = list(argv.seeds, ['1', '2', '3']).map(Number);
  for (const s of scenarios)
    if (!(ALL_SCENARIOS as readonly string[]).includes(s))
      throw new UsageError(`--scenarios: unknown scenario ${s} (one of ${ALL_SCENARIOS.join(', ')})`);
  for (const s of strategies)
    if (!(STRATEGIES as readonly string[]).includes(s))
      throw new UsageError(`--strategies: unknown strategy ${s} (one of ${STRATEGIES.join(', ')})`);
  for (const s of seeds)
    if (!Number.isInteger(s))
      throw new UsageError(`--seeds: whole numbers, comma-separated (got ${String(argv.seeds)})`);
  return { scenarios: scenarios as VScenario[], strategies: strategies as StrategyName[], seeds };
}

export interface QualityRun {
  readonly matrix: QualityMatrix;
  readonly markets: number;
  readonly interval: '1m' | '5m' | '15m';
  readonly cfg: Config;
  readonly logger: Logger;
  readonly dailyLossLimit: boolean;
  readonly write: (s: string) => void;
  readonly progress: (s: string) => void;
}

export async function runQualityTable(q: QualityRun): Promise<void> {
  const reports: BacktestReport[] = [];
  for (const scenario of q.matrix.scenarios)
    for (const seed of q.matrix.seeds)
      for (const strategy of q.matrix.strategies) {
        const { report } = await runBacktest({
          scenario,
          seed,
          strategy,
          markets: q.markets,
          interval: q.interval,
          cfg: q.cfg,
          logger: q.logger,
          dailyLossLimit: q.dailyLossLimit,
        });
        reports.push(report);
        q.progress(
          `${scenario} seed ${seed} ${strategy}: pnl ${report.pnl_usdc} (${report.pnl_per_share}/share), markout_5s ${report.markout_5s}, ${report.wall_seconds} s\n`,
        );
      }
  const verdicts = scenarioVerdicts(reports, { maxUnpairedShares: q.cfg.taker.maxUnpairedShares });
  q.write(markdownTables(reports, verdicts) + '\n');
  q.write(
    JSON.stringify({
      quality: {
        markets: q.markets,
        interval: q.interval,
        goal_met: verdicts.every((v) => v.ok),
        verdicts,
        runs: reports,
      },
    }) + '\n',
  );
}
