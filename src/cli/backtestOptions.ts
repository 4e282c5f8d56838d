// `polymm backtest`'s options, apart from the command itself: the CLI declares every command's
// options at start, and loading the backtest (venue core, pipeline) for that costs every command
// (`polymm stress` included) ~80 MB of resident memory.
import type { Argv } from 'yargs';
import { venueOptions } from './options.js';
import { UsageError } from './usage.js';

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
    .option('segments', {
      type: 'number',
      default: 1,
      describe:
        'split the markets into N consecutive independent runs (each its own seeded venue and bot, with a warm-up), run at once on the cores; the numbers depend on N, not on the cores',
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
        throw new UsageError(`--markets must be a whole number >= 1, got ${String(a.markets)}`);
      const n = a.segments;
      if (!Number.isInteger(n) || n < 1 || n > a.markets)
        throw new UsageError(`--segments must be a whole number from 1 to --markets (${a.markets}), got ${String(n)}`);
      if (n > 1 && a.report !== undefined) throw new UsageError('--report needs an unsplit run: drop --segments');
      if (n > 1 && a.table === true) throw new UsageError('--segments splits one backtest: not with --table');
      const l = a['latency-ms'];
      if (l !== undefined && !(Number.isFinite(l) && l >= 0))
        throw new UsageError(`--latency-ms must be a number >= 0, got ${String(l)}`);
      return true;
    });
}
