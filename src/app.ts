// Wiring: streams -> strategy -> execution sink, with the observers (event log, metrics, status,
// taps, summary) on the side. The only place that knows every layer; each layer stays testable.
import { asyncScheduler, defer, scan, Subject, type SchedulerLike } from 'rxjs';
import { endpointsOf, type Config } from './config/schema.js';
import type { BotEvent, FillEvent } from './domain/index.js';
import { tapDebug, type Taps } from './operators/tapDebug.js';
import { botPipeline, cutoffForInterval, requiredFeedsFor } from './pipeline.js';
import { openEventLog, type EventLog } from './sinks/eventLog.js';
import { redactConfig } from './config/load.js';
import { connectExchange, type Exchange } from './sinks/execution/exchange.js';
import { finalCancelAll } from './sinks/execution/finalCancel.js';
import { LATE_FILL_MARGIN_MS, RunFills } from './streams/lateFills.js';
import type { Logger } from './sinks/logger.js';
import { createMetrics, serveMetrics, type Metrics } from './sinks/metrics.js';
import { operatorControl } from './sinks/control.js';
import { EMPTY_STATUS, foldStatus, statusSnapshot, type StatusFold } from './sinks/statusView.js';
import { EMPTY_SUMMARY, foldSummary, toRunSummary, type RunSummary, type SummaryState } from './sinks/summary.js';
import { INTERVAL_MS } from './domain/index.js';
import { measureClockSkew, venueTimeFrom } from './streams/clockSkew.js';
import { settlementFor, simSigningConfig } from './sinks/settlementWiring.js';

/** The simulated venue as the bot sees it: its URLs and how to stop it. The CLI starts it (the bot never imports the venue). */
export interface SimVenue {
  readonly urls: {
    readonly gamma: string;
    readonly clob: string;
    readonly wsMarket: string;
    readonly wsUser: string;
    readonly rtds: string;
    readonly polybolt: string;
    readonly control: string;
  };
  /** Its dev chain, when it runs one: the `chain.*` settings the bot settles with. */
  readonly chain?: {
    readonly rpcUrl: string;
    readonly chainId: number;
    readonly ctf: string;
    readonly collateral: string;
    readonly conditionOracle: string;
    readonly relayerUrl?: string;
  };
  close(): Promise<void>;
}

/** The folds of a run over its events: the summary line's state and `polymm status`'s view. */
interface RunFold {
  readonly summary: SummaryState;
  readonly status: StatusFold;
}
const EMPTY_RUN: RunFold = { summary: EMPTY_SUMMARY, status: EMPTY_STATUS };
/** One scan step: the event, and the folds before and after it. */
interface RunStep {
  readonly ev?: BotEvent;
  readonly before: RunFold;
  readonly after: RunFold;
}

export interface BotOptions {
  readonly logger: Logger;
  readonly taps?: Taps;
  /** Called with every event (status lines, tests). */
  readonly onEvent?: (ev: BotEvent) => void;
  /** An already running venue to trade on (tests); else `cfg.venue` decides. */
  readonly venue?: SimVenue;
  /** Starts the simulated venue when `cfg.venue` is `sim` and no `venue` is given (the CLI passes it). */
  readonly startSimVenue?: (sim: Config['sim']) => Promise<SimVenue>;
  /** Serve /metrics and /healthz (default true). */
  readonly serveMetrics?: boolean;
  /** Write the event log (default true). */
  readonly eventLog?: boolean;
  /** Wall clock (tests shift it; the venue must share it). */
  readonly clock?: () => number;
  /** Scheduler of every timer in the pipeline (default asyncScheduler). */
  readonly scheduler?: SchedulerLike;
}

export interface Bot {
  readonly cfg: Config;
  readonly venue?: SimVenue;
  readonly exchange?: Exchange;
  readonly metrics: Metrics;
  readonly metricsPort?: number;
  readonly eventLogPath?: string;
  /** Stop: no new orders, cancel all, flush; resolves with the run summary. */
  stop(): Promise<RunSummary>;
  /** Resolves when the pipeline ends on its own (it normally runs until stop). */
  readonly ended: Promise<void>;
}

/** Point the config at the in-process venue; demo markets shorter than the cutoff get a proportionate one. */
function onVenue(cfg: Config, venue: SimVenue, logger: Logger): Config {
  const u = venue.urls;
  const intervalMs = INTERVAL_MS[cfg.sim.interval] ?? 900_000;
  const cutoffMs = cutoffForInterval(cfg.cutoffMs, intervalMs);
  if (cutoffMs !== cfg.cutoffMs)
    logger.warn('cutoff shortened for short simulated markets', { interval: cfg.sim.interval, cutoffMs });
  const chain = venue.chain ? { ...cfg.chain, ...venue.chain } : cfg.chain;
  return {
    ...cfg,
    cutoffMs,
    chain,
    market: { ...cfg.market, interval: cfg.sim.interval },
    endpoints: endpointsOf(u),
  };
}

export class ClockSkewError extends Error {
  override readonly name = 'ClockSkewError';
}

/** Our clock corrected to the venue's (GET /time); an offset above `clockSkew.maxMs` is an error. */
async function venueClock(cfg: Config, local: () => number, logger: Logger): Promise<() => number> {
  let skew;
  try {
    skew = await measureClockSkew({
      clock: local,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      venueTimeS: venueTimeFrom(cfg.endpoints.clob, cfg.rest.timeoutMs),
    });
  } catch (err) {
    logger.warn('clock offset to the venue unknown (GET /time failed): using the local clock', {
      error: err instanceof Error ? err.message : String(err),
    });
    return local;
  }
  const { offsetMs, errorMs } = skew;
  if (Math.abs(offsetMs) - errorMs > cfg.clockSkew.maxMs) {
    throw new ClockSkewError(
      `clock skew: this machine's clock is ${(Math.abs(offsetMs) / 1_000).toFixed(1)} s ${offsetMs > 0 ? 'behind' : 'ahead of'} the venue's (±${errorMs} ms; limit clockSkew.maxMs = ${cfg.clockSkew.maxMs} ms): not trading; synchronise the system clock (NTP)`,
    );
  }
  // Correct only an offset the measurement can tell from zero: a noisy estimate (a slow round trip)
  // of a clock that is right would otherwise shift it.
  const corrected = Math.abs(offsetMs) > errorMs;
  logger.info('clock offset to the venue', { offsetMs, errorMs, corrected });
  return corrected ? () => local() + offsetMs : local;
}

export async function startBot(input: Config, opts: BotOptions): Promise<Bot> {
  const { logger } = opts;
  if (input.venue === 'sim' && !opts.venue && !opts.startSimVenue)
    throw new Error('venue "sim": no simulated venue given and no way to start one');
  const venue = opts.venue ?? (input.venue === 'sim' ? await opts.startSimVenue?.(input.sim) : undefined);
  const cfg = venue ? onVenue(input, venue, logger) : input;
  if (venue && !opts.venue) logger.info('simulated venue started', { urls: venue.urls });
  const clock = await venueClock(cfg, opts.clock ?? ((): number => Date.now()), logger).catch(async (err: unknown) => {
    if (venue && !opts.venue) await venue.close();
    throw err;
  });

  // Credentials: required to trade; a dry run on live Polymarket may go without (no user feed).
  const needExchange = !cfg.dryRun || cfg.venue === 'sim' || cfg.wallet.privateKey !== undefined;
  // On the simulated venue without a key, a random one: made here so the settlement sink signs with it too.
  // For PROXY / SAFE / DEPOSIT wallets without a funder, the key's own wallet (src/sinks/settlementWiring.ts).
  const signingCfg = cfg.venue === 'sim' ? simSigningConfig(cfg) : cfg;
  const exchange = needExchange
    ? await connectExchange(signingCfg, {
        randomKeyIfMissing: cfg.venue === 'sim',
        onPresignError: (error, fatal) =>
          logger.warn(fatal ? 'presign worker died: signing inline from now on' : 'presign worker failed to sign', {
            error,
          }),
      })
    : undefined;
  if (exchange)
    logger.info('exchange connected', { address: exchange.address, mode: cfg.wallet.mode, dryRun: cfg.dryRun });
  const adopted = exchange && !cfg.dryRun ? await exchange.openOrders() : [];
  if (adopted.length)
    logger.info('open orders found at start: adopted where they match the plan, else cancelled', {
      count: adopted.length,
    });

  const stop$ = new Subject<void>();
  const scheduler = opts.scheduler ?? asyncScheduler;
  const requiredFeeds = requiredFeedsFor(exchange);
  const live = exchange && !cfg.dryRun;
  // The run's two folds (summary, status view), made by a scan over the events; the latest is kept
  // here only for the readers outside the stream: /status and the summary at stop.
  let run: RunFold = EMPTY_RUN;
  const metrics = createMetrics(clock);
  // `polymm status` and `polymm cancel-all` reach the running bot here (metrics port, loopback).
  const control = operatorControl({
    clock,
    live: Boolean(live),
    ...(exchange ? { exchange } : {}),
    snapshot: (openOrders, openOrdersError) =>
      statusSnapshot(run.status, run.summary, {
        nowMs: clock(),
        feeds: metrics.health().feeds,
        pnlUsdc: toRunSummary(run.summary, { liveOrders: 0 }).pnl_usdc,
        openOrders,
        ...(openOrdersError ? { openOrdersError } : {}),
      }),
  });

  const settlement = live ? settlementFor(signingCfg, Boolean(venue?.chain), clock, logger) : undefined;
  const events$ = botPipeline(cfg, {
    scheduler,
    clock,
    logger,
    stop$,
    adopted,
    ...(exchange ? { exchange } : {}),
    ...(settlement ? { settlement } : {}),
    operatorInputs$: control.halt$,
    rateLimitProbe: (read) => (metrics.probes.rateLimitTokens = read),
    onSkipped: (source) => metrics.skipped(source),
    venueTime$: () => defer(venueTimeFrom(cfg.endpoints.clob, cfg.rest.timeoutMs)),
  });

  const server =
    opts.serveMetrics === false
      ? undefined
      : await serveMetrics(metrics, cfg.metricsPort, control.routes, cfg.metricsHost);
  if (server?.busyPort !== undefined)
    logger.warn(
      `metrics port ${server.busyPort} is in use (another bot on this machine?): serving /metrics on ${cfg.metricsHost}:${server.port} instead; set --metricsPort to choose one (0: any free port)`,
    );
  const log: EventLog | undefined =
    opts.eventLog === false
      ? undefined
      : openEventLog(
          cfg.eventLogDir,
          { kind: 'header', version: 1, tsMs: clock(), config: redactConfig(cfg), requiredFeeds },
          { ...cfg.eventLog, clock },
        );
  if (log) logger.info('event log', { path: log.path });
  if (log) metrics.probes.eventLogBacklogBytes = () => log.backlogBytes();

  const folds$ = events$.pipe(
    tapDebug(opts.taps),
    scan(
      (acc: RunStep, ev: BotEvent): RunStep => ({
        ev,
        before: acc.after,
        after: { summary: foldSummary(acc.after.summary, ev, cfg.cutoffMs), status: foldStatus(acc.after.status, ev) },
      }),
      { before: EMPTY_RUN, after: EMPTY_RUN },
    ),
  );
  let resolveEnded!: () => void;
  const ended = new Promise<void>((r) => (resolveEnded = r));
  const runFills = new RunFills();
  const sub = folds$.subscribe({
    next: ({ ev, before, after }) => {
      run = after;
      if (!ev) return;
      runFills.observe(ev);
      log?.write(ev);
      metrics.observe(ev, before.status);
      if (ev.kind === 'skip') logger.warn('input skipped', { source: ev.source, reason: ev.reason, raw: ev.raw });
      if (ev.kind === 'decision' && cfg.dryRun)
        logger.info('desired orders (dry run: not posted)', {
          market: ev.desired.slug,
          reason: ev.desired.reason,
          orders: ev.desired.orders.map((o) => `${o.outcome}#${o.level} ${o.price}x${o.size}`),
        });
      if (ev.kind === 'alpha') {
        // The last regime has one owner, the status view's fold: a change is read against it.
        const from = before.status.markets.get(ev.conditionId)?.regime;
        if (from !== ev.regime)
          logger.info('regime change', {
            market: ev.conditionId,
            from: from ?? null,
            regime: ev.regime,
            reasons: ev.regimeReasons,
            qUp: ev.qUp,
          });
      }
      if (ev.kind === 'settlement') {
        if (ev.problem?.startsWith('resolution overdue')) logger.warn('settlement', { ...ev });
        else logger.info('settlement', { ...ev });
      }
      opts.onEvent?.(ev);
    },
    error: (err: unknown) => {
      logger.error('pipeline failed', { error: err instanceof Error ? err.message : String(err) });
      resolveEnded();
    },
    complete: () => resolveEnded(),
  });

  let stopping: Promise<RunSummary> | undefined;
  const stop = (): Promise<RunSummary> =>
    (stopping ??= (async () => {
      const stoppedMs = clock();
      stop$.next();
      // Let in-flight batches finish (bounded), then cancel everything that may remain.
      await Promise.race([ended, new Promise((r) => setTimeout(r, 5_000))]);
      sub.unsubscribe();
      let summary = run.summary;
      let liveOrders = 0;
      if (exchange && live) {
        const final = await finalCancelAll({
          exchange,
          clock,
          deadlineMs: cfg.shutdown.cancelDeadlineMs,
          sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
          onRetry: (attempt, waitMs, error) =>
            logger.warn('cancel-all at shutdown failed; retrying', { attempt, waitMs, error }),
        });
        if (final.confirmed)
          summary = foldSummary(
            summary,
            { kind: 'execution', tsMs: clock(), conditionId: '', action: 'cancelAll', ok: true },
            cfg.cutoffMs,
          );
        else
          logger.error(
            "cancel-all at shutdown not confirmed: heartbeats have stopped, so the exchange's dead-man switch cancels the remaining orders",
            { attempts: final.attempts, liveOrders: final.liveOrders, error: final.lastError },
          );
        liveOrders = final.liveOrders;
        // Fills while we shut down: the feed is gone, the venue's trade list has them.
        for (const ev of await lateFills(exchange, runFills, stoppedMs - LATE_FILL_MARGIN_MS, logger)) {
          log?.write(ev);
          summary = foldSummary(summary, ev, cfg.cutoffMs);
          opts.onEvent?.(ev);
        }
      }
      await exchange?.close();
      await log?.close();
      await server?.close();
      if (venue && !opts.venue) await venue.close();
      return toRunSummary(summary, { liveOrders });
    })());

  return {
    cfg,
    metrics,
    ended,
    stop,
    ...(venue ? { venue } : {}),
    ...(exchange ? { exchange } : {}),
    ...(server ? { metricsPort: server.port } : {}),
    ...(log ? { eventLogPath: log.path } : {}),
  };
}

/** The fills the run missed while it shut down, read from the venue (none, with a warning, if it cannot say). */
async function lateFills(
  exchange: Exchange,
  runFills: RunFills,
  sinceMs: number,
  logger: Logger,
): Promise<FillEvent[]> {
  try {
    const me = { apiKey: exchange.creds.key, address: exchange.address, orderIds: new Set<string>() };
    const fills = runFills.unseen(await exchange.trades(sinceMs), me);
    if (fills.length > 0)
      logger.warn('fills during shutdown, read back from the venue (the user feed had ended)', {
        count: fills.length,
        shares: fills.reduce((n, f) => n + f.fill.size, 0),
      });
    return fills;
  } catch (err) {
    logger.warn("could not read the venue's trades after shutdown: fills during it may be missing from the summary", {
      error: err instanceof Error ? err.message : String(err),
    });
    return [];
  }
}
