// A backtest split into segments: consecutive runs of markets, each an independent backtest (its own
// venue seeded by `segmentSeed`, its own bot, the warm-up of a first market), run at the same time on
// this thread and worker threads, their tallies added up in segment order. The numbers depend on the
// segments, never on how many run at once: a segment is a pure function of its options.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { mergeTallies, toReport, type MarketRow, type Tally } from './report.js';
import { runBacktest, type BacktestOptions, type BacktestResult } from './run.js';
import { threadTime, threadTimeSince, type ThreadTime } from './threadTime.js';

/** One segment, as it crosses to a worker: the run's plain-data options, where it starts, a log level. */
export type SegmentJob = Pick<
  BacktestOptions,
  'scenario' | 'seed' | 'markets' | 'interval' | 'strategy' | 'latency' | 'cfg' | 'dailyLossLimit'
> & {
  readonly firstMarket: number;
  /** The worker's log level (`silent`: none). */
  readonly logLevel: string;
};

/** What a segment sends back. */
export interface SegmentOutcome {
  readonly tally: Tally;
  readonly rows: readonly MarketRow[];
  readonly breaches: Readonly<Record<string, number>>;
  readonly account: BacktestResult['account'];
  /** The segment's own wall time (how evenly the segments shared the run). */
  readonly wallSeconds: number;
  /** Its thread's time on a CPU and waiting for one (src/backtest/threadTime.ts), where measured. */
  readonly thread?: ThreadTime;
}

/** A worker's messages: progress (fraction of its segment) as it goes, then its outcome. */
export type SegmentMessage = { readonly progress: number } | { readonly outcome: SegmentOutcome };

export interface SegmentedOptions extends Omit<
  BacktestOptions,
  'firstMarket' | 'strategyOverride' | 'observe' | 'record' | 'html'
> {
  /** Independent runs the markets are split into (each at least one market). */
  readonly segments: number;
  /** Log level of the segments on worker threads (`silent`: none). */
  readonly workerLogLevel: string;
  /** At most this many segments at once (default: the machine's cores), one of them on this thread. */
  readonly threads?: number;
  /** Each worker's young generation (V8's `maxYoungGenerationSizeMb`); V8's default when absent. */
  readonly workerYoungGenerationMb?: number;
}

/** Consecutive segments covering `markets`, the first ones one market longer when it does not divide. */
export function segmentPlan(markets: number, segments: number): Array<{ firstMarket: number; markets: number }> {
  if (!Number.isInteger(segments) || segments < 1 || segments > markets)
    throw new Error(`segments must be a whole number from 1 to the number of markets (${markets}), got ${segments}`);
  const base = Math.floor(markets / segments);
  const longer = markets % segments;
  const plan: Array<{ firstMarket: number; markets: number }> = [];
  let first = 0;
  for (let i = 0; i < segments; i++) {
    const n = base + (i < longer ? 1 : 0);
    plan.push({ firstMarket: first, markets: n });
    first += n;
  }
  return plan;
}

/**
 * The worker's code: the compiled module, or, when this module runs from source (tests), a bootstrap
 * that registers tsx in the worker and imports the source (a worker takes no `--import` of its own).
 */
function workerScript(): { script: URL | string; eval: boolean } {
  const source = new URL('./segmentWorker.ts', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return { script: new URL('./segmentWorker.js', import.meta.url), eval: false };
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
  return { script: boot, eval: true };
}

/**
 * Runs one segment on a worker thread; settles once the worker is gone: its outcome, or an error if
 * it failed or ended without one. The worker is in `running` until then (a failed run stops the others).
 */
export function segmentInWorker(
  job: SegmentJob,
  onProgress: (done: number) => void,
  youngGenerationMb?: number,
  running: Set<Worker> = new Set(),
): Promise<SegmentOutcome> {
  const { script, eval: isEval } = workerScript();
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      eval: isEval,
      workerData: job,
      ...(youngGenerationMb !== undefined ? { resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } } : {}),
    });
    running.add(worker);
    let outcome: SegmentOutcome | undefined;
    let failure: Error | undefined;
    worker.on('message', (m: SegmentMessage) => {
      if ('progress' in m) onProgress(m.progress);
      else outcome = m.outcome;
    });
    worker.on('error', (err) => (failure = err));
    // Settled once the worker is gone, with its outcome or what went wrong.
    worker.on('exit', (code) => {
      running.delete(worker);
      if (outcome) return resolve(outcome);
      const why = failure?.message ?? `worker exited (${code}) without a result`;
      reject(new Error(`backtest segment from market ${job.firstMarket}: ${why}`));
    });
  });
}

/** What a segment's run sends back. */
export const outcomeOf = (r: BacktestResult, thread?: ThreadTime): SegmentOutcome => ({
  tally: r.tally,
  rows: r.rows,
  breaches: r.breaches,
  account: r.account,
  wallSeconds: r.report.wall_seconds,
  ...(thread ? { thread } : {}),
});

export async function runSegmented(
  o: SegmentedOptions,
): Promise<BacktestResult & { segmentWallSeconds: number[]; segmentThreads: Array<ThreadTime | undefined> }> {
  const wallStart = performance.now();
  const plan = segmentPlan(o.markets, o.segments);
  const lanes = Math.max(1, Math.min(o.threads ?? availableParallelism(), plan.length));
  const done = plan.map(() => 0);
  const progress = (i: number, d: number): void => {
    done[i] = d;
    o.onProgress?.(done.reduce((a, x, k) => a + x * plan[k]!.markets, 0) / o.markets);
  };
  const job = (i: number): SegmentJob => ({
    scenario: o.scenario,
    seed: o.seed,
    firstMarket: plan[i]!.firstMarket,
    markets: plan[i]!.markets,
    interval: o.interval,
    strategy: o.strategy,
    ...(o.latency ? { latency: o.latency } : {}),
    cfg: o.cfg,
    ...(o.dailyLossLimit !== undefined ? { dailyLossLimit: o.dailyLossLimit } : {}),
    logLevel: o.workerLogLevel,
  });
  const outcomes: SegmentOutcome[] = [];
  const running = new Set<Worker>();
  const stop = new AbortController();
  let next = 0;
  // Each lane takes the next segment until none is left; lane 0 runs its segments on this thread.
  const lane = async (k: number): Promise<void> => {
    for (let i = next++; i < plan.length; i = next++) {
      const onProgress = (d: number): void => progress(i, d);
      if (k > 0) {
        outcomes[i] = await segmentInWorker(job(i), onProgress, o.workerYoungGenerationMb, running);
        continue;
      }
      const { logLevel: _l, ...options } = job(i);
      const started = threadTime();
      const r = await runBacktest({ ...o, ...options, logger: o.logger, onProgress, signal: stop.signal });
      outcomes[i] = outcomeOf(r, threadTimeSince(started));
    }
  };
  try {
    await Promise.all(Array.from({ length: lanes }, (_, k) => lane(k)));
  } catch (err) {
    // One segment failed: the run has no result, so the others stop now (none is left running).
    next = plan.length;
    stop.abort();
    await Promise.all([...running].map((w) => w.terminate()));
    throw err;
  }
  o.onProgress?.(1);

  const breaches: Record<string, number> = {};
  for (const { breaches: b } of outcomes)
    for (const [kind, n] of Object.entries(b)) breaches[kind] = (breaches[kind] ?? 0) + n;
  const run = { scenario: o.scenario, seed: o.seed, strategy: o.strategy, markets: o.markets, segments: plan.length };
  const tally = mergeTallies(outcomes.map((x) => x.tally));
  return {
    report: toReport(run, tally, (performance.now() - wallStart) / 1000),
    tally,
    breaches,
    rows: outcomes.flatMap((x) => x.rows),
    account: {
      collateralUsdc: outcomes.reduce((a, x) => a + x.account.collateralUsdc, 0),
      sharesHeld: outcomes.reduce((a, x) => a + x.account.sharesHeld, 0),
    },
    segmentWallSeconds: outcomes.map((x) => x.wallSeconds),
    segmentThreads: outcomes.map((x) => x.thread),
  };
}
