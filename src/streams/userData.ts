// The CLOB user channel: our orders and fills. The feed is up only once a REST reconcile has been
// applied after each (re)connect (userReconcile.ts), so quoting never resumes on a stale view of our
// orders and no fill is missed; while disconnected or reconciling it is down (quoting pauses).
import {
  asyncScheduler,
  defer,
  distinctUntilChanged,
  exhaustMap,
  filter,
  map,
  merge,
  mergeMap,
  Observable,
  share,
  shareReplay,
  switchMap,
  takeUntil,
  tap,
} from 'rxjs';
import type { Config } from '../config/schema.js';
import { mapToMany } from '../operators/mapToMany.js';
import type {
  ApiCreds,
  ConnectionEvent,
  LiveOrder,
  MarketIdentity,
  OrderEvent,
  SkipEvent,
  StaleEvent,
} from '../domain/index.js';
import { outcomeOf } from '../domain/index.js';
import { applyListedFills, applyTrade, EMPTY_LEDGER, type FillLedger, type FillStatusEvent, type Me } from './fills.js';
import { connectionEvent, skipEvent } from './health.js';
import { parseUserFrame, type UserOrderMsg } from '../wire/user.js';
import { reconnectBackoff, socket$, type SocketEvent } from './socket.js';
import type { StreamDeps } from './deps.js';
import { closedWhileAway, reconcileViews$, type ReconcileViews, type UserReconciler } from './userReconcile.js';

export type { UserReconciler } from './userReconcile.js';

/** How many of our order ids the user feed keeps to recognise our trades (bounded memory). */
export const ORDER_IDS_KEPT = 10_000;
export type UserDataEvent = OrderEvent | FillStatusEvent | ConnectionEvent | StaleEvent | SkipEvent;

function orderEvent(m: UserOrderMsg, markets: ReadonlyMap<string, MarketIdentity>): OrderEvent | undefined {
  const market = markets.get(m.conditionId);
  const outcome = market && outcomeOf(market, m.tokenId);
  if (!outcome) return undefined;
  const status =
    m.change === 'CANCELLATION' || m.status.startsWith('CANCELED') || m.status.startsWith('INVALID')
      ? 'cancelled'
      : m.sizeMatched >= m.originalSize - 1e-9
        ? 'matched'
        : 'live';
  return {
    kind: 'order',
    tsMs: m.tsMs,
    change: m.change,
    statusText: m.status,
    order: {
      orderId: m.orderId,
      conditionId: m.conditionId,
      tokenId: m.tokenId,
      outcome,
      side: m.side,
      price: m.price,
      size: m.originalSize,
      sizeMatched: m.sizeMatched,
      orderType: m.orderType,
      status,
      tsMs: m.tsMs,
    },
  };
}

export function userData$(
  markets$: Observable<readonly MarketIdentity[]>,
  creds: ApiCreds,
  address: string,
  cfg: Config,
  deps: StreamDeps,
  reconcile: UserReconciler,
): Observable<UserDataEvent> {
  const scheduler = deps.scheduler ?? asyncScheduler;
  return defer(() => {
    let markets = new Map<string, MarketIdentity>();
    let ledger: FillLedger = EMPTY_LEDGER;
    // Our order ids, to recognise our side of a trade: the last ORDER_IDS_KEPT or so (a trade comes
    // while its order rests, within its market's 15 minutes; the oldest are dropped first).
    const orderIds = new Set<string>();
    const remember = (id: string): void => {
      orderIds.delete(id);
      orderIds.add(id);
      if (orderIds.size > ORDER_IDS_KEPT)
        for (const old of [...orderIds].slice(0, orderIds.size - ORDER_IDS_KEPT * 0.8)) orderIds.delete(old);
    };
    const me = (): Me => ({ apiKey: creds.key, address: address.toLowerCase(), orderIds });
    // The first reconcile reads every fill since the earliest market's start: after a restart the
    // position comes from the fills alone (never also from balances), each counted once (ledger).
    let lastFillMs = deps.clock() - 60_000;
    let reconciledOnce = false;
    // The message handlers below read the latest market list: it is recorded in a tap (the one
    // place for side effects), the map stays pure.
    const conditionIds$ = markets$.pipe(
      tap((ms) => (markets = new Map(ms.map((m) => [m.conditionId, m])))),
      map((ms) => ms.map((m) => m.conditionId)),
      distinctUntilChanged((a, b) => a.length === b.length && a.every((x, i) => x === b[i])),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    let wanted: readonly string[] = [];
    const subscribeFrame = (ids: readonly string[]): string =>
      JSON.stringify({
        auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase },
        markets: ids,
        type: 'user',
      });
    // Replayed on subscribe: skip the value the socket already subscribed with on open.
    const frames$ = conditionIds$.pipe(
      filter((ids) => ids !== wanted),
      tap((ids) => (wanted = ids)),
      map((ids) => JSON.stringify({ markets: ids, operation: 'subscribe' })),
    );

    // Orders this stream last reported live, with when it learnt that: after a reconnect, those the
    // venue no longer lists (and not newer than the REST view) were closed while we were away.
    const liveSeen = new Map<string, { order: LiveOrder; seenMs: number }>();
    const track = (e: OrderEvent): OrderEvent => {
      if (e.order.status === 'live') liveSeen.set(e.order.orderId, { order: e.order, seenMs: deps.clock() });
      else liveSeen.delete(e.order.orderId);
      return e;
    };

    const countFill = (events: FillStatusEvent[]): FillStatusEvent[] => {
      for (const e of events) if (e.kind === 'fill' && !e.reversal) lastFillMs = Math.max(lastFillMs, e.fill.tsMs);
      return events;
    };
    const fillsSinceMs = (): number =>
      (reconciledOnce ? lastFillMs : Math.min(lastFillMs, ...[...markets.values()].map((m) => m.startMs))) - 5_000;
    /** The REST views applied: orders as listed, orders closed while away, fills moved on; then the feed is up. */
    const applyViews = (v: ReconcileViews): UserDataEvent[] => {
      const now = deps.clock();
      reconciledOnce = true;
      const out: UserDataEvent[] = v.orders.map(
        (o): OrderEvent => (
          remember(o.orderId),
          track({ kind: 'order', tsMs: now, change: 'UPDATE', order: o, statusText: 'reconciled' })
        ),
      );
      out.push(...closedWhileAway(liveSeen, v, now).map(track));
      // A fill counted before the gap may have moved on (or FAILED) while we were away.
      const u = applyListedFills(ledger, v.fills);
      ledger = u.ledger;
      out.push(...countFill(u.events));
      out.push({ kind: 'connection', tsMs: now, feed: 'user', state: 'up' });
      return out;
    };
    const reconciled$ = (): Observable<UserDataEvent> =>
      reconcileViews$(reconcile, fillsSinceMs, {
        clock: deps.clock,
        maxRetryMs: cfg.sockets.reconnectMaxMs,
        scheduler,
      }).pipe(mergeMap((r) => (r.kind === 'views' ? applyViews(r) : [r])));

    /** Messages and losses (an open is reported by the reconcile that follows it). */
    const onSocket = (ev: SocketEvent): UserDataEvent[] => {
      const now = deps.clock();
      if (ev.type === 'open') return [];
      if (ev.type === 'closed') return [connectionEvent('user', ev, now)!];
      const out: UserDataEvent[] = [];
      for (const r of parseUserFrame(ev.data, now)) {
        if (!r.ok) {
          out.push(skipEvent('user', r.reason, r.raw, now));
          continue;
        }
        if (r.msg.type === 'order') {
          remember(r.msg.orderId);
          const oe = orderEvent(r.msg, markets);
          out.push(
            oe ? track(oe) : skipEvent('user', 'order for an unknown market', String(ev.data).slice(0, 200), now),
          );
        } else {
          const u = applyTrade(ledger, r.msg, me(), markets);
          ledger = u.ledger;
          out.push(...countFill(u.events));
        }
      }
      return out;
    };

    // Connect once there is a market; later lists go out through frames$. The list stays
    // subscribed (exhaustMap, not take(1)), so the shared discovery is never torn down.
    const socketEvents$ = conditionIds$.pipe(
      filter((ids) => ids.length > 0),
      exhaustMap((ids) => {
        wanted = ids;
        const spec = {
          url: cfg.endpoints.wsUser,
          pingMs: 10_000,
          backoff: reconnectBackoff(cfg.sockets.reconnectMaxMs),
          onOpen: () => [subscribeFrame(wanted)],
          outgoing$: frames$,
        };
        return socket$(spec, { ...deps, scheduler });
      }),
      share(),
    );
    const closed$ = socketEvents$.pipe(filter((ev) => ev.type === 'closed'));
    return merge(
      socketEvents$.pipe(mapToMany(onSocket)),
      // Each open starts a reconcile; the socket dropping again (or a newer open) cancels it.
      socketEvents$.pipe(
        filter((ev) => ev.type === 'open'),
        switchMap(() => reconciled$().pipe(takeUntil(closed$))),
      ),
    );
  });
}
