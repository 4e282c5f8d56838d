// `polymm backtest`: the bot's pipeline against the simulated venue's core in virtual time.
// stdout: one `{"backtest":{…}}` line; stderr: progress and the breakdown of any invariant breach.
import { writeFileSync } from 'node:fs';
import { runBacktest, type StrategyName } from '../backtest/run.js';
import type { VScenario } from '@polymm/venue';
import { createLogger } from '../sinks/logger.js';
import { runSegmented } from '../backtest/segments.js';
import { inBatchHeap, SEGMENT_YOUNG_GENERATION_MB } from './batchHeap.js';
import { configFromArgv, flagsToTree } from './options.js';
import { qualityMatrix, runQualityTable } from './qualityTable.js';

// Its options live apart so that the CLI can declare them without loading the backtest.
export { backtestOptions } from './backtestOptions.js';

/** A one-line progress bar, redrawn in place on a terminal, every 10 % otherwise. */
function progressWriter(write: (s: string) => void, tty: boolean): (done: number) => void {
  const started = performance.now();
  let shownTenth = -1;
  return (done) => {
    if (performance.now() - started < 2_000 && done < 1) return; // short runs stay quiet
    const pct = Math.min(100, Math.floor(done * 100));
    const bar = '#'.repeat(Math.floor(pct / 5)).padEnd(20, '.');
    if (tty) write(`\rbacktest [${bar}] ${pct}%${done >= 1 ? '\n' : ''}`);
    else if (Math.floor(pct / 10) > shownTenth) {
      shownTenth = Math.floor(pct / 10);
      write(`backtest ${pct}%\n`);
    }
  };
}

export async function runBacktestCommand(argv: Record<string, unknown>): Promise<void> {
  const segments = (argv.segments as number | undefined) ?? 1;
  const childExit = await inBatchHeap(segments > 1);
  if (childExit !== undefined) return void (process.exitCode = childExit);
  const cfg = configFromArgv(argv);
  // The daily loss limit applies only when asked for on the command line (README "Backtest").
  const dailyLossLimit =
    (flagsToTree(argv).risk as Record<string, unknown> | undefined)?.dailyLossLimitUsdc !== undefined;
  const logger = createLogger((argv['log-level'] as string | undefined) ?? 'warn');
  if (argv.table === true) {
    const write = (s: string): void => void process.stdout.write(s);
    const progress = (s: string): void => void process.stderr.write(s);
    return runQualityTable({
      matrix: qualityMatrix(argv),
      markets: argv.markets as number,
      interval: cfg.sim.interval,
      cfg,
      logger,
      dailyLossLimit,
      write,
      progress,
    });
  }
  const latencyMs = argv['latency-ms'] as number | undefined;
  const reportPath = argv.report as string | undefined;
  const options = {
    scenario: cfg.sim.scenario as VScenario,
    seed: cfg.sim.seed,
    markets: argv.markets as number,
    interval: cfg.sim.interval,
    strategy: argv.strategy as StrategyName,
    ...(latencyMs !== undefined ? { latency: { orderMs: latencyMs, cancelMs: latencyMs } } : {}),
    cfg,
    dailyLossLimit,
    logger,
    onProgress: progressWriter((s) => process.stderr.write(s), process.stderr.isTTY === true),
  };
  const { report, breaches, html } =
    segments > 1
      ? await runSegmented({
          ...options,
          segments,
          workerLogLevel: (argv['log-level'] as string | undefined) ?? 'warn',
          workerYoungGenerationMb: SEGMENT_YOUNG_GENERATION_MB,
        })
      : await runBacktest({ ...options, html: reportPath !== undefined });
  if (reportPath !== undefined && html !== undefined) {
    writeFileSync(reportPath, html);
    process.stderr.write(`report: ${reportPath}\n`);
  }
  if (report.invariant_breaches > 0) process.stderr.write(`invariant breaches: ${JSON.stringify(breaches)}\n`);
  process.stdout.write(JSON.stringify({ backtest: report }) + '\n');
}
