// The CLOB market channel: one connection subscribed to both tokens of every active market,
// adding and removing tokens as markets roll; a local L2 book per token.
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
  of,
  shareReplay,
  startWith,
  Subject,
  withLatestFrom,
  type OperatorFunction,
} from 'rxjs';
import type { Config } from '../config/schema.js';
import type {
  BestBidAskEvent,
  BookEvent,
  ConnectionEvent,
  LastTradeEvent,
  MarketIdentity,
  MarketResolvedEvent,
  SkipEvent,
  StaleEvent,
  TickSizeEvent,
} from '../domain/index.js';
import { applyBookMsg, EMPTY_BOOKS, keepBooks, markAllStale, type BookStore } from './book.js';
import { connectionEvent, skipEvent } from './health.js';
import { mapToMany } from '../operators/mapToMany.js';
import { staleAfter } from '../operators/staleAfter.js';
import { parseMarketFrame, type MarketMsg } from '../wire/market.js';
import { reconnectBackoff, socket$, type SocketEvent } from './socket.js';
import type { StreamDeps } from './deps.js';

export type MarketDataEvent =
  | BookEvent
  | TickSizeEvent
  | LastTradeEvent
  | BestBidAskEvent
  | MarketResolvedEvent
  | ConnectionEvent
  | StaleEvent
  | SkipEvent;

const tokensOf = (ms: readonly MarketIdentity[]): string[] => ms.flatMap((m) => [m.tokenUp, m.tokenDown]);
const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

/** The part of a book message about subscribed tokens (undefined when none is). */
function subscribedPart(msg: MarketMsg, wanted: ReadonlySet<string>): MarketMsg | undefined {
  if (msg.type === 'book') return wanted.has(msg.tokenId) ? msg : undefined;
  if (msg.type !== 'priceChange' || msg.changes.every((c) => wanted.has(c.tokenId))) return msg;
  const changes = msg.changes.filter((c) => wanted.has(c.tokenId));
  return changes.length > 0 ? { ...msg, changes } : undefined;
}

/** Subscription changes as frames: what to add and what to drop since the last frame. */
export function subscriptionFrames(sent: Set<string>, wanted: readonly string[]): string[] {
  const add = wanted.filter((t) => !sent.has(t));
  const drop = [...sent].filter((t) => !wanted.includes(t));
  add.forEach((t) => sent.add(t));
  drop.forEach((t) => sent.delete(t));
  return [
    // The custom features (best_bid_ask, new_market, market_resolved) asked for again: the docs list
    // the flag on update frames too, and each next market's tokens join this way.
    ...(add.length ? [JSON.stringify({ assets_ids: add, operation: 'subscribe', custom_feature_enabled: true })] : []),
    ...(drop.length ? [JSON.stringify({ assets_ids: drop, operation: 'unsubscribe' })] : []),
  ];
}

export function marketData$(
  markets$: Observable<readonly MarketIdentity[]>,
  cfg: Config,
  deps: StreamDeps,
): Observable<MarketDataEvent> {
  const scheduler = deps.scheduler ?? asyncScheduler;
  return defer(() => {
    const tokens$ = markets$.pipe(
      map(tokensOf),
      distinctUntilChanged(sameSet),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    let wanted: readonly string[] = [];
    let sent = new Set<string>();
    // Untrusted books are re-snapshotted: unsubscribe and subscribe the token again.
    const resync$ = new Subject<string>();
    const frames$ = merge(
      tokens$.pipe(
        mergeMap((tokens) => {
          wanted = tokens;
          return of(...subscriptionFrames(sent, tokens));
        }),
      ),
      resync$.pipe(
        filter((t) => sent.has(t)),
        mergeMap((t) => [
          JSON.stringify({ assets_ids: [t], operation: 'unsubscribe' }),
          JSON.stringify({ assets_ids: [t], operation: 'subscribe', custom_feature_enabled: true }),
        ]),
      ),
    );
    const socket = (): Observable<SocketEvent> =>
      socket$(
        {
          url: cfg.endpoints.wsMarket,
          pingMs: 10_000,
          backoff: reconnectBackoff(cfg.sockets.reconnectMaxMs),
          onOpen: () => {
            sent = new Set(wanted);
            return [JSON.stringify({ assets_ids: wanted, type: 'market', custom_feature_enabled: true })];
          },
          outgoing$: frames$,
        },
        deps,
      );
    // Connect once there is something to subscribe to; later lists go out through frames$. The
    // list stays subscribed (exhaustMap, not take(1)), so the shared discovery is never torn down.
    return tokens$.pipe(
      filter((t) => t.length > 0),
      exhaustMap((tokens) => {
        wanted = tokens;
        return socket();
      }),
      toMarketEvents(deps.clock, (t) => resync$.next(t), tokens$),
      staleAfter('market', cfg.market.bookStaleMs, deps.clock, scheduler),
    );
  });
}

/**
 * Socket events -> domain events, folding the local books. With `tokens$` (the subscribed tokens),
 * a token dropped from the list loses its book by the next socket event, and its frames still in
 * flight are ignored: they are expected after an unsubscribe, not a problem.
 */
export function toMarketEvents(
  clock: () => number,
  resnapshot: (tokenId: string) => void = () => undefined,
  tokens$?: Observable<readonly string[]>,
): OperatorFunction<SocketEvent, MarketDataEvent> {
  return (source) =>
    defer(() => {
      let store: BookStore = EMPTY_BOOKS;
      const conditionOf = new Map<string, string>();
      let list: readonly string[] | undefined;
      let wanted: ReadonlySet<string> | undefined;
      /** Follow a new subscription list: drop the books of the tokens it no longer has. */
      const follow = (tokens: readonly string[] | undefined): void => {
        if (tokens === list || tokens === undefined) return;
        list = tokens;
        wanted = new Set(tokens);
        store = keepBooks(store, wanted);
        for (const t of conditionOf.keys()) if (!wanted.has(t)) conditionOf.delete(t); // deleting while iterating is safe
      };
      // The latest list travels with each socket event (startWith: no event waits for a first list).
      return source.pipe(
        withLatestFrom(tokens$ ? tokens$.pipe(startWith(undefined)) : of(undefined)),
        mapToMany(([ev, tokens]): MarketDataEvent[] => {
          follow(tokens);
          const now = clock();
          const conn = connectionEvent('market', ev, now);
          if (conn?.state === 'up') return [conn];
          if (conn) {
            // Once the connection is lost, books are stale until their fresh snapshot arrives.
            store = markAllStale(store);
            return [
              conn,
              ...[...store.books.values()].map((book): BookEvent => ({
                kind: 'book',
                tsMs: now,
                conditionId: conditionOf.get(book.tokenId) ?? '',
                book,
              })),
            ];
          }
          if (ev.type !== 'message') return [];
          const out: MarketDataEvent[] = [];
          for (const r of parseMarketFrame(ev.data, now)) {
            if (!r.ok) {
              out.push(skipEvent('market', r.reason, r.raw, now));
              continue;
            }
            const msg = wanted ? subscribedPart(r.msg, wanted) : r.msg;
            if (!msg) continue;
            switch (msg.type) {
              case 'book':
              case 'priceChange': {
                const u = applyBookMsg(store, msg);
                store = u.store;
                if (u.problem) out.push(skipEvent('market', u.problem, String(ev.data).slice(0, 200), now));
                u.untrusted?.forEach(resnapshot);
                for (const book of u.changed) {
                  conditionOf.set(book.tokenId, msg.conditionId);
                  out.push({ kind: 'book', tsMs: book.tsMs, conditionId: msg.conditionId, book });
                }
                break;
              }
              case 'tickSize':
                out.push({
                  kind: 'tickSize',
                  tsMs: msg.tsMs,
                  conditionId: msg.conditionId,
                  tokenId: msg.tokenId,
                  tickSize: msg.tickSize,
                });
                break;
              case 'lastTrade':
                out.push({
                  kind: 'lastTrade',
                  tsMs: msg.tsMs,
                  conditionId: msg.conditionId,
                  tokenId: msg.tokenId,
                  price: msg.price,
                  size: msg.size,
                  side: msg.side,
                });
                break;
              case 'marketResolved':
                out.push({
                  kind: 'marketResolved',
                  tsMs: msg.tsMs,
                  conditionId: msg.conditionId,
                  winningTokenId: msg.winningTokenId,
                });
                break;
              case 'bestBidAsk':
                out.push({
                  kind: 'bestBidAsk',
                  tsMs: msg.tsMs,
                  conditionId: msg.conditionId,
                  tokenId: msg.tokenId,
                  ...(msg.bestBid !== undefined ? { bestBid: msg.bestBid } : {}),
                  ...(msg.bestAsk !== undefined ? { bestAsk: msg.bestAsk } : {}),
                });
                break;
              default:
                break; // new_market: discovery already finds it.
            }
          }
          return out;
        }),
      );
    });
}
