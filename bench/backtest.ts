// Backtest throughput and memory: N fifteen-minute markets (default 96, a simulated day) with the
// spec strategy on the virtual clock. Prints wall seconds, events/s, peak RSS and its growth from
// the first to the last quarter of the run. Target (issue 11): <= 60 s wall, < 200 MB, < 10 % growth.
//   npx tsx bench/backtest.ts [markets] [interval] [strategy]
import { runBacktest, type StrategyName } from '../src/backtest/run.js';
import { loadConfig } from '../src/config/load.js';
import { silentLogger } from '../src/sinks/logger.js';

const markets = Number(process.argv[2] ?? 96);
const interval = (process.argv[3] ?? '15m') as '1m' | '5m' | '15m';
const strategy = (process.argv[4] ?? 'spec') as StrategyName;
const samples: Array<{ done: number; rssMb: number }> = [];
const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

const { report } = await runBacktest({
  scenario: 'calm', seed: 1, markets, interval, strategy, cfg: loadConfig({}), logger: silentLogger(),
  onProgress: (done) => {
    samples.push({ done, rssMb: mb(process.memoryUsage().rss) });
    if (samples.length % 60 === 0) process.stderr.write(`bench/backtest ${Math.round(done * 100)}% rss ${samples.at(-1)!.rssMb} MB\n`);
  },
});
const quarter = (from: number, to: number): number => {
  const xs = samples.filter((s) => s.done >= from && s.done < to).map((s) => s.rssMb);
  return xs.length ? Math.max(...xs) : 0;
};
const first = quarter(0, 0.25);
const last = quarter(0.75, 1.01);
console.log(JSON.stringify({
  bench: 'backtest', markets, interval, strategy,
  wall_seconds: report.wall_seconds, sim_seconds: report.sim_seconds, events: report.events, events_per_s: report.events_per_s,
  speedup: Math.round(report.sim_seconds / report.wall_seconds),
  peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024), rss_first_quarter_mb: first, rss_last_quarter_mb: last,
  rss_growth_pct: first > 0 ? Math.round(((last - first) / first) * 1000) / 10 : 0,
  fills: report.fills, pnl_usdc: report.pnl_usdc, invariant_breaches: report.invariant_breaches,
}));
