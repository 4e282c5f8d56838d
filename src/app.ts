// Wiring: streams -> strategy -> execution sink, with the observers (event log, metrics, status,
// taps, summary) on the side. The only place that knows every layer; each layer stays testable.
import { asyncScheduler, catchError, distinct, EMPTY, filter, from, map, merge, mergeMap, of, share, shareReplay, Subject, takeUntil, type Observable } from 'rxjs';
import type { Config } from './config/schema.js';
import type { BotEvent, Feed, InputEvent, MarketEvent, MarketIdentity, OrderEvent } from './domain/index.js';
import { startSimVenue } from './cli/venue.js';
import { strategy } from './operators/strategy.js';
import { tapDebug, type Taps } from './operators/tapDebug.js';
import { openEventLog, type EventLog } from './sinks/eventLog.js';
import { redactConfig } from './config/load.js';
import { connectExchange, liveOrderOf, type Exchange } from './sinks/execution/exchange.js';
import { executionSink, type SinkInput } from './sinks/execution/sink.js';
import type { Logger } from './sinks/logger.js';
import { createMetrics, serveMetrics, type Metrics } from './sinks/metrics.js';
import { EMPTY_SUMMARY, foldSummary, toRunSummary, type RunSummary, type SummaryState } from './sinks/summary.js';
import { activeMarkets, clock$, INTERVAL_MS, discovery$, marketData$, prices$, userData$, type StreamDeps, type UserReconciler } from './streams/index.js';
import { fillsOf } from './streams/fills.js';
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

export async function startBot(input: Config, opts: BotOptions): Promise<Bot> {
  const { logger } = opts;
  const clock = opts.clock ?? ((): number => Date.now());
  const venue = opts.venue ?? (input.venue === 'sim' ? await startSimVenue(input.sim) : undefined);
  const cfg = venue ? onVenue(input, venue, logger) : input;
  if (venue && !opts.venue) logger.info('simulated venue started', { urls: venue.urls });

  // Credentials: required to trade; a dry run on live Polymarket may go without (no user feed).
  const needExchange = !cfg.dryRun || cfg.venue === 'sim' || cfg.wallet.privateKey !== undefined;
  const exchange = needExchange ? await connectExchange(cfg, { randomKeyIfMissing: cfg.venue === 'sim' }) : undefined;
  if (exchange) logger.info('exchange connected', { address: exchange.address, mode: cfg.wallet.mode, dryRun: cfg.dryRun });
  const adopted = exchange && !cfg.dryRun ? await exchange.openOrders() : [];
  if (adopted.length) logger.info('open orders found at start: adopted where they match the plan, else cancelled', { count: adopted.length });

  const deps: StreamDeps = { clock, logger };
  const stop$ = new Subject<void>();
  const discovered$ = discovery$(cfg, deps).pipe(share());
  const markets$ = activeMarkets(discovered$, clock).pipe(shareReplay({ bufferSize: 1, refCount: true }));
  let knownMarkets = new Map<string, MarketIdentity>();
  const trackMarkets = markets$.subscribe((ms) => (knownMarkets = new Map(ms.map((m) => [m.conditionId, m]))));

  const live = exchange && !cfg.dryRun;
  // Positions held before we started, read once per market as it is discovered.
  const positions$: Observable<InputEvent> = exchange
    ? discovered$.pipe(
        filter((ev): ev is MarketEvent => ev.kind === 'market'),
        distinct((ev) => ev.market.conditionId),
        mergeMap((ev) =>
          from(exchange.positions([ev.market.tokenUp, ev.market.tokenDown])).pipe(
            filter(([up, down]) => (up ?? 0) > 0 || (down ?? 0) > 0),
            map(([up, down]): InputEvent => ({ kind: 'position', tsMs: clock(), conditionId: ev.market.conditionId, up: up ?? 0, down: down ?? 0 })),
            catchError((err: unknown) => of<InputEvent>({ kind: 'skip', tsMs: clock(), source: 'positions', reason: err instanceof Error ? err.message : String(err), raw: ev.market.slug })),
          ),
        ),
      )
    : EMPTY;
  const inputs$: Observable<InputEvent> = merge(
    discovered$,
    marketData$(markets$, cfg, deps),
    exchange ? userData$(markets$, exchange.creds, exchange.address, cfg, deps, reconcilerFor(exchange, () => knownMarkets)) : EMPTY,
    prices$(cfg, deps, exchange?.creds),
    clock$(CLOCK_MS, asyncScheduler, clock),
    live ? heartbeat$(() => exchange.heartbeat(), cfg.heartbeat.intervalMs, clock) : EMPTY,
    positions$,
  ).pipe(takeUntil(stop$), share());

  const requiredFeeds: Feed[] = exchange ? ['market', 'user'] : ['market'];
  const decisions$ = inputs$.pipe(strategy(cfg, requiredFeeds), share());
  const execution$ = live
    ? merge(inputs$.pipe(filter((ev): ev is OrderEvent | MarketEvent => ev.kind === 'order' || ev.kind === 'market')), decisions$).pipe(
        filter((ev): ev is SinkInput => ev.kind !== 'alpha' && ev.kind !== 'settlement'),
        executionSink({ exchange, cfg, clock, logger, adopted }),
      )
    : EMPTY;

  const metrics = createMetrics();
  const server = opts.serveMetrics === false ? undefined : await serveMetrics(metrics, cfg.metricsPort);
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
      if (ev.kind === 'settlement') logger.info('settlement', { ...ev });
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
        try {
          await exchange.cancelAll();
          summary = foldSummary(summary, { kind: 'execution', tsMs: clock(), conditionId: '', action: 'cancelAll', ok: true }, cfg.cutoffMs);
          liveOrders = (await exchange.openOrders()).length;
        } catch (err) {
          logger.error('cancel-all at shutdown failed', { error: err instanceof Error ? err.message : String(err) });
          liveOrders = -1;
        }
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

