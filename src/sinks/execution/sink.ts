// The execution sink: turns desired order sets into cancels and posts, one batch per market in
// flight (exhaustMap) and always reconciling to the latest desired set; runs taker completions;
// cancels everything on a halt and posts nothing while halted (fail closed), nor once stopping.
// Its waits are timers on the injected scheduler, so `backtest` runs it in virtual time.
import { asyncScheduler, defer, EMPTY, exhaustMap, finalize, from, groupBy, merge, mergeMap, Observable, Subject, Subscription, tap, timer, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { Config } from '../../config/schema.js';
import type { DecisionEvent, DesiredOrderSet, ExecutionEvent, HaltEvent, LiveOrder, MarketEvent, OrderEvent, TakerDecisionEvent } from '../../domain/index.js';
import { haltCancelsAll } from '../../domain/index.js';
import { batches, diffOrders } from '../../execution/diff.js';
import { forgive, newBucket, penalize, takeTokens, type Bucket, type BucketParams } from '../../execution/rateLimit.js';
import { exhaustMapLatest } from '../../operators/exhaustLatest.js';
import type { Logger } from '../logger.js';
import { ExchangeError, liveOrderOf, type Exchange, type RestOrder } from './exchange.js';

/**
 * Orders checked just before the cutoff are signed and sent after it (the fault matrix saw one
 * accepted 9 ms late on a loaded machine): nothing new goes out in the last half second before it.
 */
const SEND_MARGIN_MS = 500;

export type SinkInput = DecisionEvent | TakerDecisionEvent | HaltEvent | OrderEvent | MarketEvent;

export interface SinkDeps {
  readonly exchange: Exchange;
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

/** Polymarket's two per-signer buckets. */
type BucketKind = 'order' | 'cancel';

/** Retry a market's reconciliation this long after a failed batch. */
const RETRY_MS = 1_000;

export function executionSink(deps: SinkDeps): OperatorFunction<SinkInput, ExecutionEvent> {
  const { exchange, cfg, clock, logger } = deps;
  const scheduler = deps.scheduler ?? asyncScheduler;
  const limits: Record<BucketKind, BucketParams> = {
    order: { ratePerS: cfg.rateLimit.ordersPerSecond, burst: cfg.rateLimit.orderBurst },
    cancel: { ratePerS: cfg.rateLimit.cancelsPerSecond, burst: cfg.rateLimit.cancelBurst },
  };
  const cancelBatch = Math.min(100, cfg.rateLimit.cancelBurst);

  return (source) =>
    defer(() => {
      const orders = new Map<string, LiveOrder>();
      const markets = new Map<string, MarketEvent['market']>();
      const desired = new Map<string, DesiredOrderSet>();
      const pendingAdopt = [...(deps.adopted ?? [])];
      let halts: readonly string[] = [];
      const buckets: Record<BucketKind, Bucket> = { order: newBucket(limits.order, clock()), cancel: newBucket(limits.cancel, clock()) };
      deps.rateLimitProbe?.(() => ({ order: takeTokens(buckets.order, 0, clock(), limits.order).bucket.tokens, cancel: takeTokens(buckets.cancel, 0, clock(), limits.cancel).bucket.tokens }));
      const kicks = new Subject<string>();
      const out = new Subject<ExecutionEvent>();
      const takerIntents = new Subject<TakerDecisionEvent>();

      // Closing (the source completed: shutdown) or closed (unsubscribed): no order is created
      // any more, ever; cancels may still go. Every wait and retry timer is owned by `timers`, so
      // it ends with the sink, and a rate-limit wait ends early on close instead of posting late.
      let closing = false;
      const timers = new Subscription();
      const wakeOnClose = new Set<() => void>();
      const close = (): void => {
        closing = true;
        for (const wake of [...wakeOnClose]) wake();
      };
      const later = (ms: number, work: () => void): void => {
        const sub = timer(ms, scheduler).subscribe(() => {
          timers.remove(sub);
          work();
        });
        timers.add(sub);
      };
      const sleep = (ms: number): Promise<void> =>
        new Promise((res) => {
          if (closing) return res();
          const wake = (): void => {
            wakeOnClose.delete(wake);
            res();
          };
          wakeOnClose.add(wake);
          later(ms, wake);
        });
      const kickLater = (id: string, ms: number): void => later(ms, () => kicks.next(id));
      /** An execution report, stamped now unless `tsMs` (the send time) is given. */
      const report = (e: Omit<ExecutionEvent, 'kind' | 'tsMs'> & { tsMs?: number }): ExecutionEvent => ({ kind: 'execution', tsMs: clock(), ...e });

      // Wait for rate-limit capacity *before* planning, so what is sent is planned from fresh state.
      const waitMs = (kind: BucketKind): number => takeTokens(buckets[kind], 1, clock(), limits[kind]).waitMs;
      const waitForCapacity = async (): Promise<void> => {
        // A close ends the wait (the caller then sends nothing new); time would not move for it.
        for (let w = Math.max(waitMs('order'), waitMs('cancel')); w > 0 && !closing; w = Math.max(waitMs('order'), waitMs('cancel'))) await sleep(w);
      };
      const spend = (kind: BucketKind, n: number): void => {
        buckets[kind] = takeTokens(buckets[kind], n, clock(), limits[kind]).bucket;
      };
      const succeeded = (kind: BucketKind): void => {
        buckets[kind] = forgive(buckets[kind]);
      };
      /** The error's message; a 429 blocks that bucket with a back-off. */
      const failed = (err: unknown, kind?: BucketKind): string => {
        if (kind && err instanceof ExchangeError && err.status === 429) {
          const b = penalize(buckets[kind], clock());
          buckets[kind] = { ...b, blockedUntilMs: Math.max(b.blockedUntilMs, clock() + (err.retryAfterMs ?? 0)) }; // the venue's Retry-After wins
        }
        // The engine's weekly restart (425) and cancel-only mode (503) back off the same way: no retry storm.
        if (kind && err instanceof ExchangeError && (err.status === 425 || err.status === 503)) buckets[kind] = penalize(buckets[kind], clock());
        return err instanceof Error ? err.message : String(err);
      };

      const adopt = (o: RestOrder): void => {
        const live = liveOrderOf(o, markets.get(o.conditionId));
        if (live) orders.set(o.orderId, live);
      };

      // One piece of work per market at a time: a taker order must not race a re-quote that
      // could post a bid it would match against (a self-trade).
      const locks = new Map<string, Promise<unknown>>();
      const exclusive = <T>(id: string, work: () => Promise<T>): Promise<T> => {
        const run = (locks.get(id) ?? Promise.resolve()).then(work, work);
        const tail = run.catch(() => undefined);
        locks.set(id, tail);
        void tail.then(() => locks.get(id) === tail && locks.delete(id));
        return run;
      };

      /** Make the market's live orders match its latest desired set (or nothing while halted). */
      const reconcile = async (id: string): Promise<ExecutionEvent[]> => {
        const market = markets.get(id);
        const want = desired.get(id);
        if (!market || !want) return [];
        await waitForCapacity();
        // Halted: cancel everything; frozen: cancels go, creates wait (below).
        const target = haltCancelsAll(halts) ? { ...want, orders: [] } : want;
        const plan = diffOrders(target, [...orders.values()].filter((o) => o.conditionId === id), cfg.churn.minSizeChange);
        for (const [oid, level] of plan.keep) {
          const o = orders.get(oid);
          if (o && o.level !== level) orders.set(oid, { ...o, level });
        }
        const evs: ExecutionEvent[] = [];
        let retry = false;
        for (const ids of batches(plan.cancels, cancelBatch)) {
          spend('cancel', ids.length);
          const t0 = clock();
          try {
            const r = await exchange.cancel(ids);
            succeeded('cancel');
            for (const oid of r.canceled) {
              const o = orders.get(oid);
              orders.delete(oid);
              evs.push(report({ conditionId: id, action: 'cancel', ok: true, orderId: oid, latencyMs: clock() - t0, ...(o ? { tokenId: o.tokenId, price: o.price, size: o.size } : {}) }));
            }
            for (const [oid, why] of Object.entries(r.notCanceled)) {
              // Already gone (filled or cancelled): forget it; the user channel reports fills.
              orders.delete(oid);
              evs.push(report({ conditionId: id, action: 'cancel', ok: false, orderId: oid, error: why }));
            }
          } catch (err) {
            evs.push(report({ conditionId: id, action: 'cancel', ok: false, error: failed(err, 'cancel') }));
            retry = true;
          }
        }
        if (!retry) {
          for (const batch of batches(plan.creates)) {
            if (closing || halts.length > 0 || clock() >= market.endMs - cfg.cutoffMs - SEND_MARGIN_MS) break; // fail closed, never after cutoff or stop
            spend('order', batch.length);
            const t0 = clock();
            try {
              const results = await exchange.post(batch, market);
              succeeded('order');
              results.forEach((r, i) => {
                const d = batch[i]!;
                const base = { tsMs: t0, conditionId: id, action: 'post' as const, tokenId: d.tokenId, price: d.price, size: d.size, orderType: d.orderType, latencyMs: clock() - t0 };
                if (r.ok && r.orderId) {
                  const known = orders.get(r.orderId);
                  if (!known || known.status === 'live') {
                    orders.set(r.orderId, { orderId: r.orderId, conditionId: id, tokenId: d.tokenId, outcome: d.outcome, side: d.side, price: d.price, size: d.size, sizeMatched: known?.sizeMatched ?? 0, orderType: d.orderType, status: 'live', level: d.level, tsMs: t0 });
                  }
                  evs.push(report({ ...base, ok: true, orderId: r.orderId }));
                } else {
                  // A post-only rejection means the book moved: the next desired set re-quotes.
                  evs.push(report({ ...base, ok: false, error: r.error ?? 'rejected' }));
                  retry = true;
                }
              });
            } catch (err) {
              evs.push(report({ conditionId: id, action: 'post', ok: false, error: failed(err, 'order') }));
              retry = true;
              break;
            }
          }
        }
        if (retry) kickLater(id, RETRY_MS);
        // While idle, sign the orders the next re-quote will likely need.
        if (target.orders.length > 0) exchange.presignAround(target.orders, market);
        return evs;
      };

      const take = async (ev: TakerDecisionEvent): Promise<ExecutionEvent[]> => {
        const market = markets.get(ev.intent.conditionId);
        if (!market) return [];
        await waitForCapacity();
        if (closing || halts.length > 0 || clock() >= market.endMs - cfg.cutoffMs - SEND_MARGIN_MS) return [];
        // Cancel our bids on both tokens first (the next quote re-posts): a buy of one token at p
        // also matches our resting buys of the other at >= 1 - p, and a maker fill on either
        // token while the taker runs would overshoot the pair.
        const i = ev.intent;
        const selfCross = [...orders.values()].filter((o) => o.conditionId === i.conditionId && o.side === 'BUY');
        const evs: ExecutionEvent[] = [];
        if (selfCross.length > 0) {
          spend('cancel', selfCross.length);
          try {
            const r = await exchange.cancel(selfCross.map((o) => o.orderId));
            for (const oid of [...r.canceled, ...Object.keys(r.notCanceled)]) orders.delete(oid);
            evs.push(...r.canceled.map((oid) => report({ conditionId: i.conditionId, action: 'cancel', ok: true, orderId: oid })));
          } catch (err) {
            return [report({ conditionId: i.conditionId, action: 'cancel', ok: false, error: `before taker: ${failed(err, 'cancel')}` })];
          }
        }
        if (closing) return evs; // the cancel above awaited: a stop may have landed meanwhile
        spend('order', 1);
        const t0 = clock();
        const r = await exchange.take(ev.intent, market).catch((err: unknown) => ({ ok: false, error: failed(err, 'order'), orderId: undefined }));
        return [...evs, report({ tsMs: t0, conditionId: market.conditionId, action: 'taker', ok: r.ok, tokenId: ev.intent.tokenId, price: ev.intent.maxPrice, size: ev.intent.size, orderType: ev.intent.orderType, latencyMs: clock() - t0, ...(r.orderId ? { orderId: r.orderId } : {}), ...(r.ok ? {} : { error: r.error ?? 'rejected' }) })];
      };

      let cancelFailingSinceMs: number | undefined;
      let deadmanFallback = false;
      const cancelEverything = async (): Promise<ExecutionEvent[]> => {
        // Never delayed by the rate limit (it is the safety action), but counted: 1 + the orders it cancels.
        spend('cancel', 1 + orders.size);
        try {
          await exchange.cancelAll();
          orders.clear();
          succeeded('cancel');
          cancelFailingSinceMs = undefined;
          if (deadmanFallback) deps.onCancelAllUnconfirmed?.((deadmanFallback = false));
          return [report({ conditionId: '', action: 'cancelAll', ok: true })];
        } catch (err) {
          // Paced like any 429: Retry-After or the cancel bucket's back-off (1 s … 30 s), not every second.
          const error = failed(err, 'cancel');
          cancelFailingSinceMs ??= clock();
          if (!deadmanFallback && clock() - cancelFailingSinceMs >= cfg.shutdown.cancelDeadlineMs) {
            logger.error("halt: cancel-all unconfirmed for too long: heartbeats stopped, so the exchange's dead-man switch cancels our orders", { sinceMs: cancelFailingSinceMs, error });
            deps.onCancelAllUnconfirmed?.((deadmanFallback = true));
          }
          const retryMs = Math.max(RETRY_MS, buckets.cancel.blockedUntilMs - clock());
          logger.error('cancel-all failed; retrying', { error, retryMs });
          later(retryMs, () => haltCancelsAll(halts) && void cancelEverything().then((evs) => evs.forEach((e) => out.next(e))));
          return [report({ conditionId: '', action: 'cancelAll', ok: false, error })];
        }
      };

      const onInput = (ev: SinkInput): Observable<ExecutionEvent> => {
        switch (ev.kind) {
          case 'market':
            markets.set(ev.market.conditionId, ev.market);
            for (const o of pendingAdopt.filter((p) => p.conditionId === ev.market.conditionId)) adopt(o);
            return EMPTY;
          case 'order': {
            const o = ev.order;
            const known = orders.get(o.orderId);
            if (o.status === 'live') orders.set(o.orderId, known?.level !== undefined ? { ...o, level: known.level } : o);
            else orders.delete(o.orderId);
            return EMPTY;
          }
          case 'decision':
            desired.set(ev.desired.conditionId, ev.desired);
            kicks.next(ev.desired.conditionId);
            return EMPTY;
          case 'taker':
            takerIntents.next(ev);
            return EMPTY;
          case 'halt': {
            const was = halts;
            halts = ev.reasons;
            if (haltCancelsAll(halts) && !haltCancelsAll(was)) {
              logger.warn('halt: cancelling all orders', { reasons: halts });
              return from(cancelEverything()).pipe(mergeMap((evs) => evs));
            }
            if (halts.length > 0 && was.length === 0) logger.warn('frozen: no new orders', { reasons: halts });
            if (halts.length === 0 && was.length > 0) for (const id of desired.keys()) kicks.next(id);
            return EMPTY;
          }
          default:
            return EMPTY;
        }
      };

      const perMarket$ = kicks.pipe(
        groupBy((id) => id),
        mergeMap((g) => g.pipe(exhaustMapLatest((id) => from(exclusive(id, () => reconcile(id))).pipe(mergeMap((evs) => evs))))),
      );
      const takers$ = takerIntents.pipe(
        groupBy((ev) => ev.intent.conditionId),
        mergeMap((g) => g.pipe(exhaustMap((ev) => from(exclusive(ev.intent.conditionId, () => take(ev))).pipe(mergeMap((evs) => evs))))),
      );
      // One subscription to the source; when it completes, in-flight batches finish, then we do.
      const inputs$ = source.pipe(
        mergeMap(onInput),
        tap({
          complete: () => {
            close();
            [kicks, takerIntents, out].forEach((s) => s.complete());
          },
        }),
      );
      return merge(out, perMarket$, takers$, inputs$).pipe(
        finalize(() => {
          close();
          timers.unsubscribe();
        }),
      );
    });
}
