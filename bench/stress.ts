// Strategy throughput and memory over an event log (issue 18): builds the log of a backtest of N
// markets with the spec strategy (every pipeline event, as `start` writes them; cached in the temp
// directory), then runs `polymm stress` on it in a child process (its own memory) and `polymm
// replay` (it must stay exact). Prints, from the same run, pipeline inputs/s beside JSON.parse
// lines/s of the same log (target ratio >= 0.5), decision latency, and RSS over the run (target
// < 200 MB, < 10 % growth first -> last quarter; 96 fifteen-minute markets make a 24-hour log).
//   npx tsx bench/stress.ts [markets=4] [interval=15m] [repeat=1] [speed]
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBacktest } from '../src/backtest/run.js';
import { loadConfig } from '../src/config/load.js';
import { silentLogger } from '../src/sinks/logger.js';

const markets = Number(process.argv[2] ?? 4);
const interval = (process.argv[3] ?? '15m') as '1m' | '5m' | '15m';
const repeat = process.argv[4] ?? '1';
const speed = process.argv[5];
// Cached per commit: a log written by other code would not replay exactly.
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || 'nogit';
const log = join(tmpdir(), `polymm-bench-stress-${markets}x${interval}-${commit}.jsonl`);

if (!existsSync(log)) {
  const partial = `${log}.part`;
  const fd = openSync(partial, 'w');
  let buf: string[] = [];
  const flush = (): void => {
    writeSync(fd, buf.join(''));
    buf = [];
  };
  const started = performance.now();
  await runBacktest({
    scenario: 'calm',
    seed: 1,
    markets,
    interval,
    strategy: 'spec',
    logger: silentLogger(),
    // As bench/backtest.ts: the daily loss limit lifted, so the bot trades the whole day.
    // Applied as given (1e9): the backtest's default lifts it to Infinity, which a JSON header cannot hold.
    dailyLossLimit: true,
    cfg: loadConfig({ flags: { risk: { dailyLossLimitUsdc: 1e9 } } }),
    record: (line) => {
      buf.push(JSON.stringify(line) + '\n');
      if (buf.length >= 2_000) flush();
    },
  });
  flush();
  closeSync(fd);
  renameSync(partial, log);
  process.stderr.write(
    `bench/stress: wrote ${log} (${Math.round(statSync(log).size / 2 ** 20)} MB) in ${Math.round((performance.now() - started) / 1000)} s\n`,
  );
}

const polymm = (args: string[]): Record<string, unknown> => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`polymm ${args.join(' ')} printed nothing (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  return JSON.parse(line) as Record<string, unknown>;
};
const stress = polymm(['stress', log, '--repeat', repeat, ...(speed ? ['--speed', speed] : [])]).stress as Record<
  string,
  unknown
>;
const replay = polymm(['replay', log]).replay as Record<string, unknown>;
console.log(
  JSON.stringify({
    bench: 'stress',
    markets,
    interval,
    log_mb: Math.round(statSync(log).size / 2 ** 20),
    ...stress,
    replay_inputs: replay.inputs,
    replay_mismatches: replay.mismatches,
  }),
);
