// Backtest throughput and memory: N fifteen-minute markets (default 96, a simulated day) with the
// spec strategy on the virtual clock. Prints wall seconds, events/s, peak RSS and its growth from
// the first to the last quarter of the run. Target (issue 11): <= 60 s wall, < 200 MB, < 10 % growth.
// The daily loss limit is lifted so the bot trades the whole day (with the default, a bad first
// market latches the kill switch and the rest of the day measures an idle bot).
//   npx tsx bench/backtest.ts [markets] [interval] [strategy] [segments]
// With segments > 1 the markets run as that many independent segments at once (src/backtest/segments.ts:
// this thread and worker threads); RSS is the whole process's, heap and GC figures this thread's.
// It runs as `polymm backtest` does (src/cli/batchHeap.ts): in a child with --max-semi-space-size=8
// (split: 4 and --single-threaded-gc) unless node already has that flag, and --heap-growing-percent=25
// (split: 10) set at run time unless node was given one (give other values to compare).
// This machine's speed changes by half between runs (the same commit's day: 47.6 s one session,
// 68.9 s the next, CPU seconds alike), so the bench also samples it while the run goes: JSON.parse
// throughput of a fixed text on this thread (~10 ms every 60th progress report), printed as
// `json_parse_mb_per_s` (median) and `wall_in_parse_mb` (wall seconds x that: the run's length in
// MB of JSON this machine parses meanwhile, comparable between a fast and a slow phase).
// Each segment's thread (unsplit: the main thread) also reports, from Linux's scheduler statistics,
// its seconds on a CPU (`thread_cpu_seconds`) and waiting, ready to run, for one
// (`thread_wait_seconds`): the work apart from the share of a core the machine gave it.
import { constants as perf, PerformanceObserver } from 'node:perf_hooks';
import { heapGrowingFlag, inBatchHeap, SEGMENT_YOUNG_GENERATION_MB } from '../src/cli/batchHeap.js';
import { runBacktest, type BacktestOptions, type StrategyName } from '../src/backtest/run.js';
import { runSegmented } from '../src/backtest/segments.js';
import { threadTime, threadTimeSince } from '../src/backtest/threadTime.js';
import { loadConfig } from '../src/config/load.js';
import { silentLogger } from '../src/sinks/logger.js';

const markets = Number(process.argv[2] ?? 96);
const interval = (process.argv[3] ?? '15m') as '1m' | '5m' | '15m';
const strategy = (process.argv[4] ?? 'spec') as StrategyName;
const segments = Number(process.argv[5] ?? 1);
const childExit = await inBatchHeap(segments > 1);
if (childExit !== undefined) process.exit(childExit);
const runtimeGrowing = heapGrowingFlag(process.execArgv, process.env.NODE_OPTIONS, segments > 1);
// Garbage collection: main-thread pause time and how many major (mark-compact) collections ran.
let gcPauseMs = 0;
let majorGcs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcPauseMs += e.duration;
    if ((e as { detail?: { kind?: number } }).detail?.kind === perf.NODE_PERFORMANCE_GC_MAJOR) majorGcs += 1;
  }
});
gcObserver.observe({ entryTypes: ['gc'] });
const samples: Array<{ done: number; rssMb: number; heapMb: number }> = [];
/** A fixed text of market-channel frames (the same bytes every run). */
const SPEED_TEXT = JSON.stringify(
  Array.from({ length: 40 }, (_, i) => ({
    event_type: 'price_change',
    market: `0x${(i + 1).toString(16).padStart(64, '0')}`,
    timestamp: String(1_767_225_600_000 + i * 100),
    price_changes: [0, 1].map((k) => ({
      asset_id: `${10n ** 76n + BigInt(i * 2 + k)}`,
      price: ((i % 98) / 100 + 0.01).toFixed(2),
      size: (10 + i * 3.5).toFixed(2),
      side: k === 0 ? 'BUY' : 'SELL',
      hash: `${(i * 7919).toString(16).padStart(40, '0')}`,
      best_bid: '0.49',
      best_ask: '0.51',
    })),
  })),
);
const parseMbPerS: number[] = [];
/** JSON.parse MB/s of SPEED_TEXT over ~10 ms: how fast this machine runs right now. */
const sampleSpeed = (): void => {
  const t0 = performance.now();
  let t = t0;
  let bytes = 0;
  while (t - t0 < 10) {
    JSON.parse(SPEED_TEXT);
    bytes += SPEED_TEXT.length;
    t = performance.now();
  }
  parseMbPerS.push(bytes / 1e6 / ((t - t0) / 1000));
};
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

const options: BacktestOptions = {
  scenario: 'calm',
  seed: 1,
  markets,
  interval,
  strategy,
  cfg: loadConfig({ flags: { risk: { dailyLossLimitUsdc: 1e9 } } }),
  logger: silentLogger(),
  onProgress: (done) => {
    const m = process.memoryUsage();
    samples.push({ done, rssMb: mb(m.rss), heapMb: mb(m.heapUsed) });
    if (samples.length % 60 === 0) {
      sampleSpeed();
      process.stderr.write(`bench/backtest ${Math.round(done * 100)}% rss ${mb(m.rss)} MB heap ${mb(m.heapUsed)} MB\n`);
    }
  },
};
sampleSpeed();
/** The run on this thread alone, with this thread's times as its one segment's. */
const unsplit = async (): Promise<Awaited<ReturnType<typeof runSegmented>>> => {
  const started = threadTime();
  const r = await runBacktest(options);
  return { ...r, segmentWallSeconds: [r.report.wall_seconds], segmentThreads: [threadTimeSince(started)] };
};
const { report, segmentWallSeconds, segmentThreads } =
  segments > 1
    ? await runSegmented({
        ...options,
        segments,
        workerLogLevel: 'silent',
        workerYoungGenerationMb: SEGMENT_YOUNG_GENERATION_MB,
      })
    : await unsplit();
const round1 = (x: number): number => Math.round(x * 10) / 10;
/** Each segment's thread (unsplit: this thread): seconds on a CPU and seconds waiting for one. */
const threads = segmentThreads.every((t) => t !== undefined)
  ? {
      thread_cpu_seconds: segmentThreads.map((t) => round1(t.runS)),
      thread_wait_seconds: segmentThreads.map((t) => round1(t.waitS)),
    }
  : {};
/** Peak of a quarter of the run (RSS or heap used). */
const quarter = (from: number, to: number, key: 'rssMb' | 'heapMb'): number => {
  const xs = samples.filter((s) => s.done >= from && s.done < to).map((s) => s[key]);
  return xs.length ? Math.max(...xs) : 0;
};
const first = quarter(0, 0.25, 'rssMb');
const last = quarter(0.75, 1.01, 'rssMb');
const pct = (a: number, b: number): number => (a > 0 ? Math.round(((b - a) / a) * 1000) / 10 : 0);
sampleSpeed();
const parseSpeed = median(parseMbPerS);
console.log(
  JSON.stringify({
    bench: 'backtest',
    markets,
    interval,
    strategy,
    segments,
    // The command line's heap flags, then the growing factor inBatchHeap set at run time.
    node_flags: [
      ...process.execArgv.filter(
        (a) => a.startsWith('--max-') || a.startsWith('--heap-') || a === '--single-threaded-gc',
      ),
      ...(runtimeGrowing ? [runtimeGrowing] : []),
    ].join(' '),
    wall_seconds: report.wall_seconds,
    ...(segments > 1 ? { segment_wall_seconds: segmentWallSeconds } : {}),
    sim_seconds: report.sim_seconds,
    events: report.events,
    events_per_s: report.events_per_s,
    speedup: Math.round(report.sim_seconds / report.wall_seconds),
    // CPU seconds of the process: on a loaded machine wall time also counts time descheduled.
    json_parse_mb_per_s: Math.round(parseSpeed),
    wall_in_parse_mb: Math.round(report.wall_seconds * parseSpeed),
    cpu_seconds: round1((process.cpuUsage().user + process.cpuUsage().system) / 1e6),
    ...threads,
    peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
    rss_first_quarter_mb: first,
    rss_last_quarter_mb: last,
    rss_growth_pct: pct(first, last),
    heap_first_quarter_mb: quarter(0, 0.25, 'heapMb'),
    heap_last_quarter_mb: quarter(0.75, 1.01, 'heapMb'),
    heap_growth_pct: pct(quarter(0, 0.25, 'heapMb'), quarter(0.75, 1.01, 'heapMb')),
    gc_pause_seconds: Math.round(gcPauseMs / 100) / 10,
    major_gcs: majorGcs,
    fills: report.fills,
    pnl_usdc: report.pnl_usdc,
    pnl_per_share: report.pnl_per_share,
    invariant_breaches: report.invariant_breaches,
  }),
);
