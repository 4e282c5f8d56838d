// The execution sink: turns desired order sets into cancels and posts, one piece of work per
// market at a time and always reconciling to the latest desired set; runs taker completions;
// cancels everything on a halt and posts nothing while halted (fail closed), nor once stopping.
// Made for virtual time: its waits are timers on the injected scheduler, its exchange calls
// deferred Observables (an OrderPort), its state a fold (sinkState.ts). Every wait and retry is a
// subscription of the sink's own output, so it ends with the pipeline; a stop ends every wait at
// once, and nothing is created after it — including a re-quote waiting out a 429 back-off.
import {
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  defaultIfEmpty,
  defer,
  EMPTY,
  filter,
  finalize,
  from,
  groupBy,
  map,
  merge,
  mergeMap,
  Observable,
  of,
  ReplaySubject,
  Subject,
  takeUntil,
  takeWhile,
  switchMap,
  tap,
  timer,
  toArray,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { Config } from '../../config/schema.js';
import type {
  DecisionEvent,
  DesiredOrder,
  ExecutionEvent,
  HaltEvent,
  MarketEvent,
  MarketIdentity,
  OrderEvent,
  TakerDecisionEvent,
  TickSizeEvent,
} from '../../domain/index.js';
import { haltCancelsAll } from '../../domain/index.js';
import { batches, diffOrders } from '../../execution/diff.js';
import { workQueue } from '../../operators/workQueue.js';
import type { Logger } from '../logger.js';
import type { Exchange, RestOrder } from './exchange.js';
import { ExchangeError } from './errors.js';
import { isOrderPort, orderPortOf, type OrderPort } from './orderPort.js';
import {
  capacityWaitMs,
  initialSinkState,
  reduceSink,
  tokensLeft,
  type BucketKind,
  type SinkFact,
  type SinkRules,
  type SinkState,
} from './sinkState.js';

export type SinkInput = DecisionEvent | TakerDecisionEvent | HaltEvent | OrderEvent | MarketEvent | TickSizeEvent;

export interface SinkDeps {
  /** The exchange adapter (its promises are deferred), or an OrderPort answering as Observables. */
  readonly exchange: Exchange | OrderPort;
  readonly cfg: Config;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly scheduler?: SchedulerLike;
  /** Orders found open at start (adopted when they match the plan, else cancelled). */
  readonly adopted?: readonly RestOrder[];
  /** Receives a reader of the tokens left in each rate-limit bucket (metrics read it at scrape time). */
  readonly rateLimitProbe?: (read: () => Readonly<Record<'order' | 'cancel', number>>) => void;
  /**
   * A halt's cancel-all still unconfirmed after `shutdown.cancelDeadlineMs` (true), or confirmed
   * again after that (false): the app stops heartbeating meanwhile, so the exchange's dead-man
   * switch cancels what we cannot.
   */
  readonly onCancelAllUnconfirmed?: (unconfirmed: boolean) => void;
}

/** Retry a market's reconciliation this long after a failed batch. */
const RETRY_MS = 1_000;
/**
 * Far longer than any piece of work lasts (REST calls have a deadline, a 429 back-off is at most
 * 30 s), so an idle worker that ends has nothing in flight and a market never has two workers.
 */
const WORKER_IDLE_MS = 10 * 60_000;

/** One batch sent: its reports; `retry` the market later; `stop` sending further batches. */
interface Step {
  readonly events: readonly ExecutionEvent[];
  readonly retry: boolean;
  readonly stop?: boolean;
}

/** A market's work: re-quote to its latest desired set, or a taker completion. */
interface Job {
  readonly id: string;
  readonly task?: TakerDecisionEvent;
}

export function executionSink(deps: SinkDeps): OperatorFunction<SinkInput, ExecutionEvent> {
  const { cfg, clock, logger } = deps;
  const port = isOrderPort(deps.exchange) ? deps.exchange : orderPortOf(deps.exchange);
  const scheduler = deps.scheduler ?? asyncScheduler;
  const rules: SinkRules = {
    limits: {
      order: { ratePerS: cfg.rateLimit.ordersPerSecond, burst: cfg.rateLimit.orderBurst },
      cancel: { ratePerS: cfg.rateLimit.cancelsPerSecond, burst: cfg.rateLimit.cancelBurst },
    },
    cancelDeadlineMs: cfg.shutdown.cancelDeadlineMs,
  };
  const cancelBatch = Math.min(100, cfg.rateLimit.cancelBurst);

  return (source) =>
    defer(() => {
      let state: SinkState = initialSinkState(rules, clock(), deps.adopted);
      const apply = (f: SinkFact): SinkState => (state = reduceSink(state, f, rules));
      deps.rateLimitProbe?.(() => tokensLeft(state, clock(), rules));

      // Emits once the sink closes (replayed to late subscribers): ends every wait and retry timer.
      const closing$ = new ReplaySubject<void>(1);
      const requotes = new Subject<string>();
      const retries = new Subject<string>();
      const takers = new Subject<TakerDecisionEvent>();
      const close = (): void => {
        if (state.closing) return;
        apply({ kind: 'closing' });
        closing$.next();
        [requotes, retries, takers].forEach((s) => s.complete());
      };
      /**
       * Not halted (even frozen), nor closing, nor at or after the market's cutoff — counting the
       * last post's round trip, so that an order sent just before the cutoff to a slow venue does
       * not land after it (the fault matrix saw orders accepted after it under load without this).
       */
      const createDeadline = (m: MarketIdentity): number => m.endMs - cfg.cutoffMs - state.postRoundTripMs;
      const mayCreate = (m: MarketIdentity): boolean =>
        !state.closing && state.halts.length === 0 && clock() < createDeadline(m);
      /** An execution report, stamped now unless `tsMs` (the send time) is given. */
      const report = (e: Omit<ExecutionEvent, 'kind' | 'tsMs'> & { tsMs?: number }): ExecutionEvent => ({
        kind: 'execution',
        tsMs: clock(),
        ...e,
      });
      const spend = (bucket: BucketKind, n: number): void => void apply({ kind: 'spent', bucket, n, atMs: clock() });
      /** A success resets the back-off; the venue's Poly-RateLimit-* headers correct our count. */
      const succeeded = (bucket: BucketKind): void =>
        void apply({ kind: 'answered', bucket, atMs: clock(), ok: true, pacing: port.takePacing?.(bucket) });
      /** The error's message; the typed error paces its bucket (429 / 425 / 503 / 5xx: Retry-After, else back-off). */
      const failed = (err: unknown, bucket?: BucketKind): string => {
        if (bucket && err instanceof ExchangeError) {
          port.takePacing?.(bucket); // the error carries the same headers
          apply({ kind: 'answered', bucket, atMs: clock(), ok: false, failure: err.failure.kind, pacing: err.pacing });
        }
        return err instanceof Error ? err.message : String(err);
      };

      /** A wait on the scheduler that a close ends early (completing without a value). */
      const waitUnlessClosed = (ms: number): Observable<number> => timer(ms, scheduler).pipe(takeUntil(closing$));

      // Rate-limit capacity is waited for *before* planning, so what is sent is planned from fresh
      // state. A close ends the wait at once (the caller then creates nothing).
      const capacity$: Observable<unknown> = defer(() => {
        const w = state.closing ? 0 : capacityWaitMs(state, clock(), rules);
        return w <= 0
          ? of(0)
          : waitUnlessClosed(w).pipe(
              defaultIfEmpty(0),
              concatMap(() => capacity$),
            );
      });

      const cancelStep$ = (id: string, ids: readonly string[]): Observable<Step> =>
        defer(() => {
          spend('cancel', ids.length);
          const t0 = clock();
          return port.cancel$(ids).pipe(
            map((r): Step => {
              succeeded('cancel');
              const events = [
                ...r.canceled.map((oid) => {
                  const o = state.orders.get(oid);
                  return report({
                    conditionId: id,
                    action: 'cancel',
                    ok: true,
                    orderId: oid,
                    latencyMs: clock() - t0,
                    ...(o ? { tokenId: o.tokenId, price: o.price, size: o.size } : {}),
                  });
                }),
                // Already gone (filled or cancelled): forget it; the user channel reports fills.
                ...Object.entries(r.notCanceled).map(([oid, why]) =>
                  report({ conditionId: id, action: 'cancel', ok: false, orderId: oid, error: why }),
                ),
              ];
              apply({ kind: 'gone', orderIds: [...r.canceled, ...Object.keys(r.notCanceled)] });
              return { events, retry: false };
            }),
            catchError((err: unknown) =>
              of({
                events: [report({ conditionId: id, action: 'cancel', ok: false, error: failed(err, 'cancel') })],
                retry: true,
              }),
            ),
          );
        });

      const createStep$ = (m: MarketIdentity, batch: readonly DesiredOrder[]): Observable<Step> =>
        defer(() => {
          if (!mayCreate(m)) return of({ events: [], retry: false, stop: true }); // fail closed
          spend('order', batch.length);
          const t0 = clock();
          const id = m.conditionId;
          const wanted = (): boolean => mayCreate(m); // asked again right before the send
          return port.post$(batch, m, wanted).pipe(
            map((results): Step => {
              succeeded('order');
              apply({ kind: 'postRoundTrip', ms: clock() - t0 });
              let retry = false;
              const events = results.map((r, i) => {
                const d = batch[i]!;
                const base = {
                  tsMs: t0,
                  conditionId: id,
                  action: 'post' as const,
                  tokenId: d.tokenId,
                  price: d.price,
                  size: d.size,
                  orderType: d.orderType,
                  latencyMs: clock() - t0,
                };
                if (!r.ok || !r.orderId) {
                  retry = true; // a post-only rejection means the book moved: the next desired set re-quotes
                  return report({ ...base, ok: false, error: r.error ?? 'rejected' });
                }
                apply({
                  kind: 'posted',
                  order: {
                    orderId: r.orderId,
                    conditionId: id,
                    tokenId: d.tokenId,
                    outcome: d.outcome,
                    side: d.side,
                    price: d.price,
                    size: d.size,
                    sizeMatched: 0,
                    orderType: d.orderType,
                    status: 'live',
                    level: d.level,
                    tsMs: t0,
                  },
                });
                return report({ ...base, ok: true, orderId: r.orderId });
              });
              return { events, retry };
            }),
            catchError((err: unknown) =>
              of({
                events: [report({ conditionId: id, action: 'post', ok: false, error: failed(err, 'order') })],
                retry: true,
                stop: true,
              }),
            ),
          );
        });

      /** Make the market's live orders match its latest desired set (or nothing while halted). */
      const requote$ = (id: string): Observable<ExecutionEvent> =>
        defer(() => {
          const market = state.markets.get(id);
          const want = state.desired.get(id);
          if (!market || !want) return EMPTY;
          // Halted: cancel everything; frozen: cancels go, creates wait (createStep$).
          const target = haltCancelsAll(state.halts) ? { ...want, orders: [] } : want;
          const plan = diffOrders(
            target,
            [...state.orders.values()].filter((o) => o.conditionId === id),
            cfg.churn.minSizeChange,
          );
          apply({ kind: 'levels', keep: plan.keep });
          const cancels$ = from(batches(plan.cancels, cancelBatch)).pipe(
            concatMap((ids) => cancelStep$(id, ids)),
            toArray(),
          );
          const creates$ = from(batches(plan.creates)).pipe(
            concatMap((b) => createStep$(market, b)),
            takeWhile((s) => !s.stop, true),
            toArray(),
          );
          return cancels$.pipe(
            // Cancels before creates; a failed cancel sends no create (retried whole, later).
            concatMap((cs) => (cs.some((s) => s.retry) ? of(cs) : creates$.pipe(map((ps) => [...cs, ...ps])))),
            tap((steps) => {
              if (steps.some((s) => s.retry)) retries.next(id);
              // While idle, sign the orders the next re-quote will likely need.
              if (target.orders.length > 0) port.presignAround(target.orders, market);
            }),
            mergeMap((steps) => steps.flatMap((s) => s.events)),
          );
        });

      const take$ = (ev: TakerDecisionEvent): Observable<ExecutionEvent> =>
        defer(() => {
          const i = ev.intent;
          const market = state.markets.get(i.conditionId);
          if (!market || !mayCreate(market)) return EMPTY;
          const wanted = (): boolean => mayCreate(market); // asked again right before the send
          // Cancel our bids on both tokens first (the next quote re-posts): a buy of one token at p
          // also matches our resting buys of the other at >= 1 - p, and a maker fill on either
          // token while the taker runs would overshoot the pair.
          const selfCross = [...state.orders.values()]
            .filter((o) => o.conditionId === i.conditionId && o.side === 'BUY')
            .map((o) => o.orderId);
          const cancelled$ =
            selfCross.length === 0
              ? of({ events: [] as ExecutionEvent[], ok: true })
              : defer(() => {
                  spend('cancel', selfCross.length);
                  return port.cancel$(selfCross).pipe(
                    map((r) => {
                      apply({ kind: 'gone', orderIds: [...r.canceled, ...Object.keys(r.notCanceled)] });
                      return {
                        events: r.canceled.map((oid) =>
                          report({ conditionId: i.conditionId, action: 'cancel', ok: true, orderId: oid }),
                        ),
                        ok: true,
                      };
                    }),
                    catchError((err: unknown) =>
                      of({
                        events: [
                          report({
                            conditionId: i.conditionId,
                            action: 'cancel',
                            ok: false,
                            error: `before taker: ${failed(err, 'cancel')}`,
                          }),
                        ],
                        ok: false,
                      }),
                    ),
                  );
                });
          const taken$ = defer(() => {
            spend('order', 1);
            const t0 = clock();
            return port.take$(i, market, wanted).pipe(
              catchError((err: unknown) => of({ ok: false, error: failed(err, 'order'), orderId: undefined })),
              map((r) =>
                report({
                  tsMs: t0,
                  conditionId: i.conditionId,
                  action: 'taker',
                  ok: r.ok,
                  tokenId: i.tokenId,
                  price: i.maxPrice,
                  size: i.size,
                  orderType: i.orderType,
                  latencyMs: clock() - t0,
                  ...(r.orderId ? { orderId: r.orderId } : {}),
                  ...(r.ok ? {} : { error: r.error ?? 'rejected' }),
                }),
              ),
            );
          });
          // The cancel took time: a stop, halt or the cutoff may have come meanwhile.
          return cancelled$.pipe(concatMap((c) => concat(from(c.events), c.ok && mayCreate(market) ? taken$ : EMPTY)));
        });

      // A halt's cancel-all: never delayed by the rate limit (it is the safety action), but counted
      // (1 + the orders it cancels); retried while the halt lasts, paced like any 429.
      const cancelEverything$ = (): Observable<ExecutionEvent> =>
        defer(() => {
          spend('cancel', 1 + state.orders.size);
          return port.cancelAll$().pipe(
            map(() => {
              const wasDeadman = state.deadman;
              apply({ kind: 'allCancelled' });
              succeeded('cancel');
              if (wasDeadman) deps.onCancelAllUnconfirmed?.(false);
              return report({ conditionId: '', action: 'cancelAll', ok: true });
            }),
            catchError((err: unknown) => {
              const error = failed(err, 'cancel');
              const wasDeadman = state.deadman;
              apply({ kind: 'cancelAllFailed', atMs: clock() });
              if (!wasDeadman && state.deadman) {
                logger.error(
                  "halt: cancel-all unconfirmed for too long: heartbeats stopped, so the exchange's dead-man switch cancels our orders",
                  { sinceMs: state.cancelAllFailingSinceMs, error },
                );
                deps.onCancelAllUnconfirmed?.(true);
              }
              // Retry-After or the cancel bucket's back-off (1 s … 30 s), not every second.
              const retryMs = Math.max(RETRY_MS, state.buckets.cancel.blockedUntilMs - clock());
              logger.error('cancel-all failed; retrying', { error, retryMs });
              const again$ = waitUnlessClosed(retryMs).pipe(
                filter(() => haltCancelsAll(state.halts)),
                concatMap(() => cancelEverything$()),
              );
              return concat(of(report({ conditionId: '', action: 'cancelAll', ok: false, error })), again$);
            }),
          );
        });

      const onInput = (ev: SinkInput): Observable<ExecutionEvent> => {
        switch (ev.kind) {
          case 'market':
            apply({ kind: 'market', market: ev.market });
            return EMPTY;
          case 'order':
            apply({ kind: 'order', order: ev.order });
            return EMPTY;
          case 'tickSize':
            apply({ kind: 'tickSize', conditionId: ev.conditionId, tickSize: ev.tickSize });
            return EMPTY;
          case 'decision':
            apply({ kind: 'desired', desired: ev.desired });
            requotes.next(ev.desired.conditionId);
            return EMPTY;
          case 'taker':
            takers.next(ev);
            return EMPTY;
          case 'halt': {
            const was = state.halts;
            apply({ kind: 'halts', reasons: ev.reasons });
            if (haltCancelsAll(ev.reasons) && !haltCancelsAll(was)) {
              // At start the feeds are not up yet: that cancel-all (of what an earlier run may have
              // left) is routine, not a warning.
              if (state.everClear) logger.warn('halt: cancelling all orders', { reasons: ev.reasons });
              else logger.info('halt until the feeds are up: cancelling all orders', { reasons: ev.reasons });
              return cancelEverything$();
            }
            if (ev.reasons.length > 0 && was.length === 0)
              logger.warn('frozen: no new orders', { reasons: ev.reasons });
            if (ev.reasons.length === 0 && was.length > 0) for (const id of state.desired.keys()) requotes.next(id);
            return EMPTY;
          }
          default:
            return EMPTY;
        }
      };

      // One piece of work per market at a time (a taker must not race a re-quote that could post
      // a bid it would match: a self-trade). Re-quotes coalesce (the latest desired set wins); a
      // taker intent arriving while another is queued or running is dropped, as the strategy
      // decides again from the fills. Queued takers go first: they cancel our bids anyway.
      const marketWork = (id: string, jobs$: Observable<Job>): Observable<ExecutionEvent> =>
        jobs$.pipe(
          workQueue(
            () => capacity$.pipe(concatMap(() => requote$(id))),
            (t: TakerDecisionEvent) => capacity$.pipe(concatMap(() => take$(t))),
          ),
        );

      const retried$ = retries.pipe(mergeMap((id) => waitUnlessClosed(RETRY_MS).pipe(map(() => id))));
      const work$ = merge(
        merge(requotes, retried$).pipe(map((id): Job => ({ id }))),
        takers.pipe(map((ev): Job => ({ id: ev.intent.conditionId, task: ev }))),
      ).pipe(
        // A market's worker ends after WORKER_IDLE_MS without a job (its market is over), so a
        // long run keeps no worker per market ever traded; a later job starts a new one.
        groupBy((j) => j.id, { duration: (g) => g.pipe(switchMap(() => timer(WORKER_IDLE_MS, scheduler))) }),
        mergeMap((g) => marketWork(g.key, g)),
      );
      // One subscription to the source; when it completes the sink closes (waits end, no create
      // goes any more), in-flight batches finish, then the sink completes.
      const inputs$ = source.pipe(tap({ complete: close }), mergeMap(onInput));
      return merge(work$, inputs$).pipe(finalize(close));
    });
}
