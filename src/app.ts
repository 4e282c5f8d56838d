// Wiring: streams -> strategy -> execution sink, with the observers (event log, metrics, status,
// taps, summary) on the side. The only place that knows every layer; each layer stays testable.
import { asyncScheduler, EMPTY, filter, merge, share, shareReplay, Subject, takeUntil, type Observable } from 'rxjs';
import type { Config } from './config/schema.js';
import type { ApiCreds, BotEvent, Feed, InputEvent, MarketEvent, MarketIdentity, OrderEvent } from './domain/index.js';
import { startSimVenue } from './cli/venue.js';
import { strategy } from './operators/strategy.js';
import { tapDebug, type Taps } from './operators/tapDebug.js';
import { openEventLog, type EventLog } from './sinks/eventLog.js';
import { redactConfig } from './config/load.js';
import { connectExchange, liveOrderOf, type Exchange } from './sinks/execution/exchange.js';
import { executionSink, type SinkInput } from './sinks/execution/sink.js';
import { finalCancelAll } from './sinks/execution/finalCancel.js';
import type { Logger } from './sinks/logger.js';
import { createMetrics, serveMetrics, type Metrics } from './sinks/metrics.js';
import { EMPTY_SUMMARY, foldSummary, toRunSummary, type RunSummary, type SummaryState } from './sinks/summary.js';
import { activeMarkets, clock$, INTERVAL_MS, discovery$, marketData$, prices$, userData$, type StreamDeps, type UserReconciler } from './streams/index.js';
import { fillsOf } from './streams/fills.js';
import { measureClockSkew, venueTimeFrom } from './streams/clockSkew.js';
import { heartbeat$ } from './streams/heartbeat.js';
import type { RunningVenue } from './venue/server/index.js';

export interface BotOptions {
  readonly logger: Logger;
  readonly taps?: Taps;
  /** Called with every event (status lines, tests). */
  readonly onEvent?: (ev: BotEvent) => void;
  /** An already running venue to trade on (tests); else `cfg.venue` decides. */
  readonly venue?: RunningVenue;
  /** Serve /metrics and /healthz (default true). */
  readonly serveMetrics?: boolean;
  /** Write the event log (default true). */
  readonly eventLog?: boolean;
  /** Wall clock (tests shift it; the venue must share it). */
  readonly clock?: () => number;
}

export interface Bot {
  readonly cfg: Config;
  readonly venue?: RunningVenue;
  readonly exchange?: Exchange;
  readonly metrics: Metrics;
  readonly metricsPort?: number;
  readonly eventLogPath?: string;
  /** Stop: no new orders, cancel all, flush; resolves with the run summary. */
  stop(): Promise<RunSummary>;
  /** Resolves when the pipeline ends on its own (it normally runs until stop). */
  readonly ended: Promise<void>;
}

const CLOCK_MS = 250;

/** Point the config at the in-process venue; demo markets shorter than the cutoff get a proportionate one. */
function onVenue(cfg: Config, venue: RunningVenue, logger: Logger): Config {
  const u = venue.urls;
  const intervalMs = INTERVAL_MS[cfg.sim.interval] ?? 900_000;
  const cutoffMs = cfg.cutoffMs >= intervalMs ? Math.round(intervalMs / 6) : cfg.cutoffMs;
  if (cutoffMs !== cfg.cutoffMs) logger.warn('cutoff shortened for short simulated markets', { interval: cfg.sim.interval, cutoffMs });
  return { ...cfg, cutoffMs, market: { ...cfg.market, interval: cfg.sim.interval }, endpoints: { gamma: u.gamma, clob: u.clob, wsMarket: u.wsMarket, wsUser: u.wsUser, rtds: u.rtds, polybolt: u.polybolt } };
}

function reconcilerFor(ex: Exchange, markets: () => ReadonlyMap<string, MarketIdentity>): UserReconciler {
  return {
    async openOrders() {
      return (await ex.openOrders()).flatMap((o) => liveOrderOf(o, markets().get(o.conditionId)) ?? []);
    },
    async trades(afterMs) {
      const me = { apiKey: ex.creds.key, address: ex.address, orderIds: new Set<string>() };
      return (await ex.trades(afterMs)).flatMap((t) => fillsOf(t, me, markets()));
    },
  };
}

export class ClockSkewError extends Error {
  override readonly name = 'ClockSkewError';
}

/** Our clock corrected to the venue's (GET /time); an offset above `clockSkew.maxMs` is an error. */
async function venueClock(cfg: Config, local: () => number, logger: Logger): Promise<() => number> {
  let skew;
  try {
    skew = await measureClockSkew({ clock: local, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), venueTimeS: venueTimeFrom(cfg.endpoints.clob, cfg.rest.timeoutMs) });
  } catch (err) {
    logger.warn('clock offset to the venue unknown (GET /time failed): using the local clock', { error: err instanceof Error ? err.message : String(err) });
    return local;
  }
  const { offsetMs, errorMs } = skew;
  if (Math.abs(offsetMs) - errorMs > cfg.clockSkew.maxMs) {
    throw new ClockSkewError(`clock skew: this machine's clock is ${(Math.abs(offsetMs) / 1_000).toFixed(1)} s ${offsetMs > 0 ? 'behind' : 'ahead of'} the venue's (±${errorMs} ms; limit clockSkew.maxMs = ${cfg.clockSkew.maxMs} ms): not trading; synchronise the system clock (NTP)`);
  }
  logger.info('clock offset to the venue', { offsetMs, errorMs, corrected: offsetMs !== 0 });
  return offsetMs === 0 ? local : () => local() + offsetMs;
}

export async function startBot(input: Config, opts: BotOptions): Promise<Bot> {
  const { logger } = opts;
  const venue = opts.venue ?? (input.venue === 'sim' ? await startSimVenue(input.sim) : undefined);
  const cfg = venue ? onVenue(input, venue, logger) : input;
  if (venue && !opts.venue) logger.info('simulated venue started', { urls: venue.urls });
  const clock = await venueClock(cfg, opts.clock ?? ((): number => Date.now()), logger).catch(async (err: unknown) => {
    if (venue && !opts.venue) await venue.close();
    throw err;
  });

  // Credentials: required to trade; a dry run on live Polymarket may go without (no user feed).
  const needExchange = !cfg.dryRun || cfg.venue === 'sim' || cfg.wallet.privateKey !== undefined;
  const exchange = needExchange ? await connectExchange(cfg, {
        randomKeyIfMissing: cfg.venue === 'sim',
        onPresignError: (error, fatal) => logger.warn(fatal ? 'presign worker died: signing inline from now on' : 'presign worker failed to sign', { error }),
      }) : undefined;
  if (exchange) logger.info('exchange connected', { address: exchange.address, mode: cfg.wallet.mode, dryRun: cfg.dryRun });
  const adopted = exchange && !cfg.dryRun ? await exchange.openOrders() : [];
  if (adopted.length) logger.info('open orders found at start: adopted where they match the plan, else cancelled', { count: adopted.length });

  // The credentials as they are now: the exchange derives them again after a 401 (venue restart).
  const creds: ApiCreds | undefined = exchange && {
    get key() { return exchange.creds.key; },
    get secret() { return exchange.creds.secret; },
    get passphrase() { return exchange.creds.passphrase; },
  };
  // Set while a halt's cancel-all stays unconfirmed: no heartbeat, so the exchange cancels for us.
  let heartbeatsStopped = false;
  const deps: StreamDeps = { clock, logger };
  const stop$ = new Subject<void>();
  const discovered$ = discovery$(cfg, deps).pipe(share());
  const markets$ = activeMarkets(discovered$, clock).pipe(shareReplay({ bufferSize: 1, refCount: true }));
  let knownMarkets = new Map<string, MarketIdentity>();
  const trackMarkets = markets$.subscribe((ms) => (knownMarkets = new Map(ms.map((m) => [m.conditionId, m]))));

  const live = exchange && !cfg.dryRun;
  // Positions held at start are counted from our fills alone (the user feed's first reconcile reads
  // every fill of the active markets): adding the balances as well counted them twice.
  const inputs$: Observable<InputEvent> = merge(
    discovered$,
    marketData$(markets$, cfg, deps),
    exchange && creds ? userData$(markets$, creds, exchange.address, cfg, deps, reconcilerFor(exchange, () => knownMarkets)) : EMPTY,
    prices$(cfg, deps, creds),
    clock$(CLOCK_MS, asyncScheduler, clock),
    live ? heartbeat$(() => (heartbeatsStopped ? Promise.reject(new Error('heartbeats stopped: cancel-all unconfirmed (dead-man switch fallback)')) : exchange.heartbeat()), cfg.heartbeat.intervalMs, clock) : EMPTY,
  ).pipe(takeUntil(stop$), share());

  const requiredFeeds: Feed[] = exchange ? ['market', 'user'] : ['market'];
  const decisions$ = inputs$.pipe(strategy(cfg, requiredFeeds), share());
  const execution$ = live
    ? merge(inputs$.pipe(filter((ev): ev is OrderEvent | MarketEvent => ev.kind === 'order' || ev.kind === 'market')), decisions$).pipe(
        filter((ev): ev is SinkInput => ev.kind !== 'alpha'),
        executionSink({ exchange, cfg, clock, logger, adopted, onCancelAllUnconfirmed: (stop) => void (heartbeatsStopped = stop) }),
      )
    : EMPTY;

  const metrics = createMetrics();
  const server = opts.serveMetrics === false ? undefined : await serveMetrics(metrics, cfg.metricsPort);
  if (server?.busyPort !== undefined) logger.warn(`metrics port ${server.busyPort} is in use (another bot on this machine?): serving /metrics on 127.0.0.1:${server.port} instead; set --metricsPort to choose one (0: any free port)`);
  const log: EventLog | undefined = opts.eventLog === false ? undefined : openEventLog(cfg.eventLogDir, { kind: 'header', version: 1, tsMs: clock(), config: redactConfig(cfg), requiredFeeds });
  if (log) logger.info('event log', { path: log.path });
  let summary: SummaryState = EMPTY_SUMMARY;
  const regimes = new Map<string, string>();

  const all$ = merge(inputs$, decisions$, execution$).pipe(tapDebug(opts.taps));
  let resolveEnded!: () => void;
  const ended = new Promise<void>((r) => (resolveEnded = r));
  const sub = all$.subscribe({
    next: (ev) => {
      log?.write(ev);
      metrics.observe(ev);
      summary = foldSummary(summary, ev, cfg.cutoffMs);
      if (ev.kind === 'skip') logger.warn('input skipped', { source: ev.source, reason: ev.reason, raw: ev.raw });
      if (ev.kind === 'decision' && cfg.dryRun) logger.info('desired orders (dry run: not posted)', { market: ev.desired.slug, reason: ev.desired.reason, orders: ev.desired.orders.map((o) => `${o.outcome}#${o.level} ${o.price}x${o.size}`) });
      if (ev.kind === 'alpha') {
        if (regimes.get(ev.conditionId) !== ev.regime) logger.info('regime change', { market: ev.conditionId, from: regimes.get(ev.conditionId) ?? null, regime: ev.regime, reasons: ev.regimeReasons, qUp: ev.qUp });
        regimes.set(ev.conditionId, ev.regime);
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
      stop$.next();
      // Let in-flight batches finish (bounded), then cancel everything that may remain.
      await Promise.race([ended, new Promise((r) => setTimeout(r, 5_000))]);
      sub.unsubscribe();
      trackMarkets.unsubscribe();
      let liveOrders = 0;
      if (exchange && live) {
        const final = await finalCancelAll({
          exchange, clock, deadlineMs: cfg.shutdown.cancelDeadlineMs, sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
          onRetry: (attempt, waitMs, error) => logger.warn('cancel-all at shutdown failed; retrying', { attempt, waitMs, error }),
        });
        if (final.confirmed) summary = foldSummary(summary, { kind: 'execution', tsMs: clock(), conditionId: '', action: 'cancelAll', ok: true }, cfg.cutoffMs);
        else logger.error("cancel-all at shutdown not confirmed: heartbeats have stopped, so the exchange's dead-man switch cancels the remaining orders", { attempts: final.attempts, liveOrders: final.liveOrders, error: final.lastError });
        liveOrders = final.liveOrders;
      }
      await exchange?.close();
      await log?.close();
      await server?.close();
      if (venue && !opts.venue) await venue.close();
      return toRunSummary(summary, { liveOrders });
    })());

  return {
    cfg, metrics, ended, stop,
    ...(venue ? { venue } : {}),
    ...(exchange ? { exchange } : {}),
    ...(server ? { metricsPort: server.port } : {}),
    ...(log ? { eventLogPath: log.path } : {}),
  };
}

