// `polymm backtest`: the bot's pipeline against the simulated venue's core in virtual time.
// stdout: one `{"backtest":{…}}` line; stderr: progress and the breakdown of any invariant breach.
import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { runBacktest, type StrategyName } from '../backtest/run.js';
import type { VScenario } from '@polymm/venue';
import { createLogger } from '../sinks/logger.js';
import { configFromArgv, flagsToTree, venueOptions } from './options.js';
import { qualityMatrix, runQualityTable } from './qualityTable.js';

export function backtestOptions<T>(y: Argv<T>) {
  return venueOptions(y)
    .option('markets', {
      type: 'number',
      default: 4,
      describe: 'how many consecutive markets to trade (a whole number >= 1)',
    })
    .option('strategy', {
      type: 'string',
      choices: ['spec', 'naive', 'follow'],
      default: 'spec',
      describe: 'spec: the bot; naive, follow: baselines through the same sink',
    })
    .option('latency-ms', {
      type: 'number',
      describe: 'order entry and cancel latency to the matching engine, ms (default 250 / 150)',
    })
    .option('report', {
      type: 'string',
      describe: 'write a self-contained HTML report (charts, per-market table) to this file',
    })
    .option('table', {
      type: 'boolean',
      describe: 'run the quality matrix (scenario × strategy × seed) and print the goal table, then {"quality":{...}}',
    })
    .option('scenarios', { type: 'string', describe: 'with --table: scenarios, comma-separated (default: all)' })
    .option('seeds', { type: 'string', describe: 'with --table: seeds, comma-separated (default 1,2,3)' })
    .option('strategies', {
      type: 'string',
      describe: 'with --table: strategies, comma-separated (default spec,naive,follow)',
    })
    .check((a) => {
      if (!Number.isInteger(a.markets) || a.markets < 1)
        throw new Error(`--markets must be a whole number >= 1, got ${String(a.markets)}`);
      const l = a['latency-ms'];
      if (l !== undefined && !(Number.isFinite(l) && l >= 0))
        throw new Error(`--latency-ms must be a number >= 0, got ${String(l)}`);
      return true;
    });
}

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
  const { report, breaches, html } = await runBacktest({
    scenario: cfg.sim.scenario as VScenario,
    seed: cfg.sim.seed,
    markets: argv.markets as number,
    interval: cfg.sim.interval,
    strategy: argv.strategy as StrategyName,
    ...(latencyMs !== undefined ? { latency: { orderMs: latencyMs, cancelMs: latencyMs } } : {}),
    cfg,
    dailyLossLimit,
    html: reportPath !== undefined,
    logger,
    onProgress: progressWriter((s) => process.stderr.write(s), process.stderr.isTTY === true),
  });
  if (reportPath !== undefined && html !== undefined) {
    writeFileSync(reportPath, html);
    process.stderr.write(`report: ${reportPath}\n`);
  }
  if (report.invariant_breaches > 0) process.stderr.write(`invariant breaches: ${JSON.stringify(breaches)}\n`);
  process.stdout.write(JSON.stringify({ backtest: report }) + '\n');
}
