// The user feed's REST reconcile after each (re)connect: open orders and our fills as the venue lists
// them. The feed is up only once a reconcile has been applied, so a failed one (a venue still
// restarting answers REST with errors, or not at all) is reported and tried again after a back-off on
// the injected scheduler, while the feed stays down; the caller cancels it when the socket drops.
import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  forkJoin,
  from,
  map,
  Observable,
  type ObservableInput,
  of,
  retry,
  type SchedulerLike,
  throwError,
  throwIfEmpty,
  timer,
} from 'rxjs';
import type { Fill, LiveOrder, OrderEvent, SkipEvent } from '../domain/index.js';
import { skipEvent } from './health.js';
import { backoffMs } from './socket.js';

/** REST views used to reconcile after a reconnect (implemented by the execution client). */
export interface UserReconciler {
  openOrders(): ObservableInput<readonly LiveOrder[]>;
  /** Our fills matched after `afterMs` (epoch ms). */
  trades(afterMs: number): ObservableInput<readonly Fill[]>;
}

/** What one reconcile read, and when it asked (orders seen live after that are newer than the view). */
export interface ReconcileViews {
  readonly kind: 'views';
  readonly orders: readonly LiveOrder[];
  readonly fills: readonly Fill[];
  readonly askedMs: number;
}

/** The wait before retry `n` (1-based) of a failed reconcile: 250 ms doubling, capped at `maxMs`. */
export const reconcileRetryMs = (n: number, maxMs: number): number =>
  backoffMs(n - 1, { initialMs: 250, maxMs, jitter: 0 }, () => 0);

/**
 * The REST views, read until they are: each failed attempt is a `skip` (counted, logged) and is tried
 * again after `reconcileRetryMs`. Emits the views once and completes; unsubscribing cancels the attempt
 * or the wait in progress (the socket dropped again: its next open starts a new reconcile).
 */
export function reconcileViews$(
  reconciler: UserReconciler,
  fillsSinceMs: () => number,
  opts: { readonly clock: () => number; readonly maxRetryMs: number; readonly scheduler?: SchedulerLike },
): Observable<ReconcileViews | SkipEvent> {
  const scheduler = opts.scheduler ?? asyncScheduler;
  const attempt$ = defer(() => {
    const askedMs = opts.clock();
    return forkJoin([from(reconciler.openOrders()), from(reconciler.trades(fillsSinceMs()))]).pipe(
      throwIfEmpty(() => new Error('no answer')),
      map(([orders, fills]): ReconcileViews => ({ kind: 'views', orders, fills, askedMs })),
    );
  });
  return attempt$.pipe(
    // Report the failure, then let `retry` wait and ask again.
    catchError((err: unknown) =>
      concat(
        of(skipEvent('user', `reconcile failed (retrying): ${errorText(err)}`, '', opts.clock())),
        throwError(() => err),
      ),
    ),
    retry({ delay: (_err, n) => timer(reconcileRetryMs(n, opts.maxRetryMs), scheduler) }),
  );
}

const errorText = (err: unknown): string => (err instanceof Error && err.message ? err.message : String(err));

/**
 * Orders this feed last reported live that the venue no longer lists, and that were not seen live
 * after the view was asked for: closed while we were away (cancelled at the venue, dropped by a
 * restarted venue), reported as cancellations.
 */
export function closedWhileAway(
  liveSeen: ReadonlyMap<string, { readonly order: LiveOrder; readonly seenMs: number }>,
  views: ReconcileViews,
  nowMs: number,
): OrderEvent[] {
  const openIds = new Set(views.orders.map((o) => o.orderId));
  return [...liveSeen.values()]
    .filter(({ order, seenMs }) => !openIds.has(order.orderId) && seenMs < views.askedMs)
    .map(({ order }) => ({
      kind: 'order',
      tsMs: nowMs,
      change: 'CANCELLATION',
      order: { ...order, status: 'cancelled' },
      statusText: 'reconciled: no longer open on the venue',
    }));
}
