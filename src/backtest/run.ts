// `polymm backtest`: the bot's own pipeline (botPipeline: the same streams, strategy operator and
// execution sink as `start`) against the venue core, market after market, in virtual time. The
// driver moves the venue core and a virtual-time scheduler forward together, one step at a time,
// and lets promise continuations run between steps; nothing waits on the wall clock.
import { Subject, type OperatorFunction } from 'rxjs';
import { simScenarioOverrides, type Config } from '../config/schema.js';
import type { BotEvent, Feed, InputEvent } from '../domain/index.js';
import { redactConfig } from '../config/load.js';
import type { EventLogHeader } from '../sinks/eventLog.js';
import { botPipeline, cutoffForInterval, requiredFeedsFor } from '../pipeline.js';
import type { Logger } from '../sinks/logger.js';
import type { StrategyEvent } from '../strategy/step.js';
import { INTERVAL_MS } from '../domain/index.js';
import {
  createRng,
  createVenueCore,
  CredStore,
  FaultController,
  SocketHub,
  STEP_MS,
  type VenueCore,
  type VenueEvent,
  type VScenario,
} from '@polymm/venue/in-process';
import { baselineStrategy } from './baselines.js';
import { coalesceBookChanges } from './coalesce.js';
import { InvariantChecker } from './invariants.js';
import { Ledger } from './ledger.js';
import { marketRows, tallyOf, toReport, type BacktestReport, type MarketRow, type Tally } from './report.js';
import { reportHtml } from './html.js';
import { inProcessSockets, type FrameMode } from './sockets.js';
import { Timeline } from './timeline.js';
import { coreExchange, DEFAULT_LATENCY, gammaFetch, type Latency } from './venueEdges.js';
import { drainMicrotasks, VirtualClock } from './virtualTime.js';

export type StrategyName = 'spec' | 'naive' | 'follow';

export interface BacktestOptions {
  readonly scenario: VScenario;
  readonly seed: number;
  readonly markets: number;
  /**
   * Index of the first market from the fixed start (default 0): a segment of a longer run
   * (src/backtest/segments.ts). A segment other than the first runs on its own venue, seeded by
   * `segmentSeed(seed, firstMarket)`, with the same warm-up as a run's first market.
   */
  readonly firstMarket?: number;
  readonly interval: '1m' | '5m' | '15m';
  readonly strategy: StrategyName;
  readonly latency?: Partial<Latency>;
  /** Bot settings (ladder, churn, alpha…); venue and endpoints are ignored. */
  readonly cfg: Config;
  readonly logger: Logger;
  /** Replace the decision operator (tests: a deliberately broken strategy). */
  readonly strategyOverride?: (
    cfg: Config,
    requiredFeeds: readonly Feed[],
  ) => OperatorFunction<InputEvent, StrategyEvent>;
  /** Collect time series and render the HTML report (result.html). */
  readonly html?: boolean;
  /**
   * Apply `risk.dailyLossLimitUsdc` (off by default in a backtest: the latch would idle the rest of
   * the simulated day after one bad market, and the run would measure idleness, not the strategy).
   */
  readonly dailyLossLimit?: boolean;
  /** Diagnostics: the venue's events as drained, and the pipeline's events. */
  readonly observe?: {
    readonly venue?: (events: readonly VenueEvent[], core: VenueCore) => void;
    readonly bot?: (ev: BotEvent) => void;
  };
  /**
   * Book deltas on the market channel: `net` (default) sends each market's changes of one instant
   * as one message of net level changes (src/backtest/coalesce.ts); `each` one message per venue
   * book action, as the venue server does.
   */
  readonly bookDeltas?: 'net' | 'each';
  /** WebSocket frames as the venue's values (`decoded`, default) or as JSON text (src/backtest/sockets.ts). */
  readonly frames?: FrameMode;
  /** Called now and then with the fraction of simulated time done. */
  readonly onProgress?: (done: number) => void;
  /** Receives an event log as `start` writes it: the header line first, then every pipeline event (bench/stress.ts builds its logs so). */
  readonly record?: (line: EventLogHeader | BotEvent) => void;
  /** Stops the run (it then rejects): a split run whose other segment failed (src/backtest/segments.ts). */
  readonly signal?: AbortSignal;
}

/** Fixed start (2026-01-01T00:00Z): the same seed gives the same run. */
const EPOCH_MS = Date.UTC(2026, 0, 1);

/** Where a backtest's simulated time starts: its first market's start less a warm-up. */
export const backtestStartMs = (intervalMs: number, firstMarket = 0): number =>
  EPOCH_MS + firstMarket * intervalMs - Math.min(120_000, intervalMs / 2);

/**
 * The venue's seed for a run starting at market `firstMarket`: the seed itself for the first, a
 * well-mixed one for each other start (so a segment's market is not a copy of another's).
 */
export function segmentSeed(seed: number, firstMarket: number): number {
  if (firstMarket === 0) return seed;
  // An integer hash of seed and start (a multiply-xorshift finalizer), as an unsigned 32-bit seed.
  let h = (seed ^ Math.imul(firstMarket, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 0;
}
/** The backtest account (lower case, as the venue keys accounts). */
const OWNER = '0x00000000000000000000000000000000000b4c75';
/** Where the in-process adapters answer (paths as on the simulated venue; nothing listens). */
const IN_PROCESS: Config['endpoints'] = {
  gamma: 'http://backtest/gamma',
  clob: 'http://backtest',
  wsMarket: 'ws://backtest/ws/market',
  wsUser: 'ws://backtest/ws/user',
  rtds: 'ws://backtest/rtds',
  polybolt: 'ws://backtest/ws',
};
/** After the last market: in-flight work finishes, then resolution and 30 s markouts. */
const DRAIN_MS = 10_000;
const SETTLE_MS = 35_000;

export interface BacktestResult {
  readonly report: BacktestReport;
  /** Invariant breaches by kind. */
  readonly breaches: Readonly<Record<string, number>>;
  readonly rows: readonly MarketRow[];
  /** The self-contained HTML report, when asked for. */
  readonly html?: string;
  /** The account at the end: free pUSD and the shares still held (none once every market resolved). */
  readonly account: { readonly collateralUsdc: number; readonly sharesHeld: number };
  /** The report's sums, for merging with other segments' (src/backtest/segments.ts). */
  readonly tally: Tally;
}

export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  const wallStart = performance.now();
  const intervalMs = INTERVAL_MS[o.interval]!;
  const firstMarket = o.firstMarket ?? 0;
  const firstStart = EPOCH_MS + firstMarket * intervalMs;
  const lastEnd = firstStart + o.markets * intervalMs;
  const t0 = backtestStartMs(intervalMs, firstMarket);
  const seed = segmentSeed(o.seed, firstMarket);
  const latency: Latency = { ...DEFAULT_LATENCY, ...o.latency };
  const cfg: Config = {
    ...o.cfg,
    dryRun: false,
    venue: 'sim',
    endpoints: IN_PROCESS,
    cutoffMs: cutoffForInterval(o.cfg.cutoffMs, intervalMs),
    market: { ...o.cfg.market, interval: o.interval },
    // "Off" as the largest finite number: the event-log header must load again in `replay`
    // (JSON writes Infinity as null, which the config refuses).
    risk: o.dailyLossLimit === true ? o.cfg.risk : { ...o.cfg.risk, dailyLossLimitUsdc: Number.MAX_VALUE },
  };

  const clock = new VirtualClock(t0);
  // The scenario's parameters, varied by any `sim.*` setting (a scenario nobody tuned to).
  const core = createVenueCore({
    seed,
    scenario: o.scenario,
    intervalMs,
    startMs: t0,
    scenarioOverrides: simScenarioOverrides(o.cfg.sim),
  });
  const credStore = new CredStore(`backtest-${seed}`);
  const c = credStore.credsFor(OWNER, '0');
  const hub = new SocketHub(
    core,
    credStore,
    new FaultController({}, seed),
    () => '0x0',
    () => clock.now(),
  );
  const ledger = new Ledger(core, OWNER, firstStart, lastEnd, Math.min(60_000, intervalMs / 4));
  const timeline = o.html ? new Timeline(core, ledger, OWNER, firstStart) : undefined;
  const publish = (): void => {
    const events = core.drainEvents();
    if (events.length === 0) return;
    ledger.observeVenue(events);
    o.observe?.venue?.(events, core);
    hub.publish(o.bookDeltas === 'each' ? events : coalesceBookChanges(events));
    // Settlement returns the collateral: each resolved market's shares are redeemed at once (the
    // backtest has no chain), so a long run never starves for pUSD.
    for (const ev of events) if (ev.type === 'marketResolved') core.redeem(OWNER, ev.market.conditionId, ev.tsMs);
  };
  // Answers the in-process edges delivered since the last macrotask turn: promise continuations wait.
  let answers = 0;
  const exchange = coreExchange({
    core,
    owner: OWNER,
    creds: { key: c.apiKey, secret: c.secret, passphrase: c.passphrase },
    keyOf: credStore.keyOf,
    scheduler: clock,
    latency,
    publish,
    answered: () => void (answers += 1),
  });
  const rng = createRng(seed ^ 0xb4c7);
  const strategy = o.strategyOverride ?? (o.strategy === 'spec' ? undefined : baselineStrategy(o.strategy));
  const invariants = new InvariantChecker({
    cutoffMs: cfg.cutoffMs,
    modelCaps: o.strategy === 'spec',
    combinedLimit: o.strategy === 'naive' ? 1 : 1 - cfg.alpha.requiredEdge,
  });
  const stop$ = new Subject<void>();
  o.record?.({
    kind: 'header',
    version: 1,
    tsMs: t0,
    config: redactConfig(cfg),
    requiredFeeds: requiredFeedsFor(exchange),
  });
  const events$ = botPipeline(cfg, {
    scheduler: clock,
    clock: () => clock.now(),
    logger: o.logger,
    exchange,
    adopted: [],
    stop$,
    streams: {
      makeSocket: inProcessSockets(hub, clock, { feedMs: latency.feedMs, upstreamMs: latency.feedMs }, o.frames),
      fetch: gammaFetch(core, clock, latency, () => void (answers += 1)),
      random: () => rng.next(),
    },
    ...(strategy ? { strategy } : {}),
  });

  let events = 0;
  let ordersPosted = 0;
  let ordersCancelled = 0;
  let ended = false;
  let failure: string | undefined;
  const sub = events$.subscribe({
    next: (ev) => {
      events += 1;
      o.record?.(ev);
      invariants.observe(ev);
      o.observe?.bot?.(ev);
      if (ev.kind === 'alpha') {
        ledger.observeQUp(ev.conditionId, ev.qUp);
        timeline?.observeQUp(ev.conditionId, ev.qUp);
      }
      if (ev.kind === 'execution' && ev.ok) {
        if (ev.action === 'post' || ev.action === 'taker') ordersPosted += 1;
        if (ev.action === 'cancel') ordersCancelled += 1;
      }
    },
    error: (err: unknown) => {
      failure = err instanceof Error ? err.message : String(err);
      ended = true;
    },
    complete: () => (ended = true),
  });

  // One step: the venue to `t`, its events onto the sockets, every action due by `t`, then the
  // promise continuations those started (which may schedule more actions due now).
  const stepTo = async (t: number): Promise<void> => {
    // The venue moves on its own 100 ms steps (as the venue server's tick), not at every instant a
    // bot timer wakes the driver: its participants would otherwise act at instants set by the bot's
    // timers, and a change in the bot's scheduling alone would change the market it trades in.
    core.advance(Math.floor(t / STEP_MS) * STEP_MS);
    clock.runUntil(t);
    publish();
    ledger.onTime(t);
    timeline?.onTime(t);
    for (;;) {
      clock.runUntil(t);
      // Promise continuations run in a macrotask turn (a few µs each, tens of turns a simulated
      // second): taken when an edge answered, and on each venue step for any other promise work.
      if (answers > 0 || t % STEP_MS === 0) {
        answers = 0;
        await drainMicrotasks();
      }
      if ((clock.nextDueMs() ?? Infinity) > t) break;
    }
  };
  const runTo = async (until: number, done: () => boolean = () => false): Promise<void> => {
    let lastReport = clock.now();
    while (clock.now() < until && !done()) {
      const now = clock.now();
      const next = Math.min(clock.nextDueMs() ?? Infinity, (Math.floor(now / STEP_MS) + 1) * STEP_MS, until);
      await stepTo(Math.max(next, now));
      if (o.onProgress && clock.now() - lastReport >= 60_000) {
        lastReport = clock.now();
        o.onProgress((clock.now() - t0) / (lastEnd + SETTLE_MS - t0));
      }
    }
  };

  await runTo(lastEnd, () => failure !== undefined || o.signal?.aborted === true);
  // A pipeline that failed is a bug, not a result: no report.
  if (failure !== undefined)
    throw new Error(`backtest pipeline failed at ${new Date(clock.now()).toISOString()}: ${failure}`);
  if (o.signal?.aborted) {
    sub.unsubscribe();
    throw new Error(`backtest stopped at ${new Date(clock.now()).toISOString()}`);
  }
  // Stop as `start` does: no new orders, in-flight work finishes (bounded), then cancel all.
  stop$.next();
  invariants.stopped(clock.now());
  await runTo(lastEnd + DRAIN_MS, () => ended);
  sub.unsubscribe();
  core.cancelAll(OWNER, clock.now());
  publish();
  await runTo(lastEnd + SETTLE_MS);
  o.onProgress?.(1);

  // Posts sent after the cutoff (the run summary's definition), also an invariant breach.
  const ordersAfterCutoff = invariants.breaches.get('after_cutoff') ?? 0;
  const tally = tallyOf({
    ledger,
    invariants,
    ordersPosted,
    ordersCancelled,
    ordersAfterCutoff,
    events,
    simSeconds: (clock.now() - t0) / 1000,
  });
  const run = {
    scenario: o.scenario,
    seed: o.seed,
    strategy: o.strategyOverride ? `${o.strategy}*` : o.strategy,
    markets: o.markets,
    segments: 1,
  };
  const report = toReport(run, tally, (performance.now() - wallStart) / 1000);
  const rows = marketRows(ledger);
  const balance = core.balance(OWNER);
  const account = {
    collateralUsdc: balance.collateral,
    sharesHeld: Object.values(balance.positions).reduce((a, b) => a + b, 0),
  };
  return {
    report,
    account,
    tally,
    breaches: Object.fromEntries(invariants.breaches),
    rows,
    ...(timeline ? { html: reportHtml(report, rows, ledger, timeline.data) } : {}),
  };
}
