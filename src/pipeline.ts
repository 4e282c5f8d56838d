// The bot's pipeline: input streams -> strategy operator -> execution sink, as one Observable of
// every event. `start` (src/app.ts) runs it on the wall clock against WebSockets and REST;
// `backtest` (src/backtest) runs the very same on a virtual-time scheduler against in-process
// adapters. Only the edges (scheduler, clock, sockets, fetch, exchange) are injected.
import { isMergeDone } from './inventory/positions.js';
import {
  EMPTY,
  filter,
  merge,
  share,
  shareReplay,
  takeUntil,
  tap,
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { Config } from './config/schema.js';
import type {
  ApiCreds,
  BotEvent,
  Feed,
  InventoryOpEvent,
  MarketPnlEvent,
  InputEvent,
  MarketEvent,
  MarketIdentity,
  OrderEvent,
  TickSizeEvent,
} from './domain/index.js';
import { strategy } from './operators/strategy.js';
import type { Exchange, RestOrder } from './sinks/execution/exchange.js';
import { refusalOf } from './sinks/execution/errors.js';
import { liveOrderOf } from './sinks/execution/liveOrder.js';
import { executionSink, type SinkInput } from './sinks/execution/sink.js';
import type { Logger } from './sinks/logger.js';
import type { StrategyEvent } from './strategy/step.js';
import {
  activeMarkets,
  clock$,
  discovery$,
  marketData$,
  prices$,
  userData$,
  type StreamDeps,
  type UserReconciler,
} from './streams/index.js';
import { fillsOf } from './streams/fills.js';
import { heartbeat$ } from './streams/heartbeat.js';
import { clockSkewWatch$ } from './streams/clockSkew.js';

/** Period of the clock ticks that drive cutoffs and staleness in the strategy. */
export const CLOCK_MS = 250;

export interface PipelineEdges {
  readonly scheduler: SchedulerLike;
  readonly clock: () => number;
  readonly logger: Logger;
  /** Signs and sends orders; absent: market data only (a dry run without a key). */
  readonly exchange?: Exchange;
  /** Orders found open at start. */
  readonly adopted?: readonly RestOrder[];
  /** Socket factory, fetch and jitter source for the streams (default: real WebSockets, fetch, Math.random). */
  readonly streams?: Pick<StreamDeps, 'makeSocket' | 'fetch' | 'random'>;
  /** The decision operator (default: the spec strategy; backtests compare baselines through the same sink). */
  readonly strategy?: (cfg: Config, requiredFeeds: readonly Feed[]) => OperatorFunction<InputEvent, StrategyEvent>;
  /** Ends the inputs (shutdown): in-flight batches finish, the sink then creates nothing more. */
  readonly stop$: Observable<unknown>;
  /** Inputs from outside the streams (the operator's halt from `polymm cancel-all`). */
  readonly operatorInputs$?: Observable<InputEvent>;
  /** GET /time of the venue (whole seconds): the clock offset is re-measured while running; absent in backtests. */
  readonly venueTime$?: () => Observable<number>;
  /** Merges and redemptions on chain from the input events (src/sinks/settlementOps.ts); absent: none. */
  readonly settlement?: OperatorFunction<BotEvent, InventoryOpEvent | MarketPnlEvent>;
  /** Hears of each input the strategy step refused (skipped, logged): the metrics count them. */
  readonly onSkipped?: (source: 'strategy') => void;
  /** Hands the sink's rate-limit token reader to the metrics. */
  readonly rateLimitProbe?: (read: () => Readonly<Record<'order' | 'cancel', number>>) => void;
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

/** Markets shorter than the cutoff (demo intervals) get a proportionate one: a sixth of the interval. */
export const cutoffForInterval = (cutoffMs: number, intervalMs: number): number =>
  cutoffMs >= intervalMs ? Math.round(intervalMs / 6) : cutoffMs;

/** The feeds without which the bot does not quote. */
export const requiredFeedsFor = (exchange: Exchange | undefined): Feed[] =>
  exchange ? ['market', 'user'] : ['market'];

/** Every event of the bot (inputs, decisions, execution reports), shared. */
export function botPipeline(cfg: Config, edges: PipelineEdges): Observable<BotEvent> {
  const { exchange, clock, logger, scheduler } = edges;
  const deps: StreamDeps = { clock, logger, scheduler, ...edges.streams };
  const discovered$ = discovery$(cfg, deps).pipe(share());
  let knownMarkets = new Map<string, MarketIdentity>();
  const markets$ = activeMarkets(discovered$, clock).pipe(
    tap((ms) => (knownMarkets = new Map(ms.map((m) => [m.conditionId, m])))),
    shareReplay({ bufferSize: 1, refCount: true }),
  );

  const live = exchange !== undefined && !cfg.dryRun;
  // Positions held at start are counted from our fills alone (the user feed's first reconcile reads
  // every fill of the active markets): adding the balances as well counted them twice.
  // The credentials as they are now: the exchange derives them again after a 401 (venue restart).
  const creds: ApiCreds | undefined = exchange && {
    get key() {
      return exchange.creds.key;
    },
    get secret() {
      return exchange.creds.secret;
    },
    get passphrase() {
      return exchange.creds.passphrase;
    },
  };
  // Set while a halt's cancel-all stays unconfirmed: no heartbeat, so the exchange cancels for us.
  let heartbeatsStopped = false;
  const heartbeat = (): Promise<void> =>
    heartbeatsStopped
      ? Promise.reject(new Error('heartbeats stopped: cancel-all unconfirmed (dead-man switch fallback)'))
      : exchange!.heartbeat();
  const inputs$: Observable<InputEvent> = merge(
    discovered$,
    marketData$(markets$, cfg, deps),
    exchange && creds
      ? userData$(
          markets$,
          creds,
          exchange.address,
          cfg,
          deps,
          reconcilerFor(exchange, () => knownMarkets),
        )
      : EMPTY,
    prices$(cfg, deps, creds),
    clock$(CLOCK_MS, scheduler, clock),
    live ? heartbeat$(heartbeat, cfg.heartbeat.intervalMs, clock, scheduler, refusalOf) : EMPTY,
    edges.venueTime$ && cfg.clockSkew.recheckMs > 0
      ? clockSkewWatch$({ clock, scheduler, venueTime$: edges.venueTime$ }, cfg.clockSkew)
      : EMPTY,
    edges.operatorInputs$ ?? EMPTY,
  ).pipe(takeUntil(edges.stop$), share());

  // One settlement operator (it executes merges: never subscribed twice); its completed merges are
  // fed back to the strategy, so merged sets leave the quoting inventory.
  const settlement$ = edges.settlement ? inputs$.pipe(edges.settlement, share()) : EMPTY;
  const merged$ = settlement$.pipe(filter(isMergeDone));
  const requiredFeeds = requiredFeedsFor(exchange);
  const decide =
    edges.strategy ??
    ((c: Config, feeds: readonly Feed[]) =>
      strategy(c, feeds, (ev, err) => {
        logger.warn('input skipped by the strategy', {
          kind: ev.kind,
          reason: err instanceof Error ? err.message : String(err),
        });
        edges.onSkipped?.('strategy');
      }));
  const decisions$ = merge(inputs$, merged$).pipe(decide(cfg, requiredFeeds), share());
  const execution$ = live
    ? merge(
        inputs$.pipe(
          filter(
            (ev): ev is OrderEvent | MarketEvent | TickSizeEvent =>
              ev.kind === 'order' || ev.kind === 'market' || ev.kind === 'tickSize',
          ),
        ),
        decisions$,
      ).pipe(
        filter((ev): ev is SinkInput => ev.kind !== 'alpha' && ev.kind !== 'settlement'),
        executionSink({
          exchange,
          cfg,
          clock,
          logger,
          scheduler,
          adopted: edges.adopted ?? [],
          onCancelAllUnconfirmed: (stop) => void (heartbeatsStopped = stop),
          ...(edges.rateLimitProbe ? { rateLimitProbe: edges.rateLimitProbe } : {}),
        }),
      )
    : EMPTY;
  return merge(inputs$, decisions$, execution$, settlement$);
}
