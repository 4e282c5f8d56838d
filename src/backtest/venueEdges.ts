// The in-process edges a backtest puts where `start` has CLOB REST and Gamma: an `Exchange` over
// the venue core and a `fetch` answering Gamma's market lookup. Every call travels on the virtual
// clock: the request reaches the venue after its latency, the answer comes back after the feed
// delay. No signing (the venue core trusts its callers; signing is measured in bench/tickToWire).
import type { SchedulerLike } from 'rxjs';
import type { ApiCreds, DesiredOrder, MarketIdentity, TakerIntent } from '../domain/index.js';
import type { Exchange, PostResult, RestOrder } from '../sinks/execution/exchange.js';
import { parseUserObject, type UserTradeMsg } from '../wire/user.js';
import type { VenueCore, VMarket, VOrder, VPlaceResult } from '@polymm/venue/in-process';
import { gammaBookPrices, gammaMarket, tradeRecord, type KeyOf } from '@polymm/venue/in-process';

export interface Latency {
  /** Order entry: request to the matching engine (post and taker). */
  readonly orderMs: number;
  /** Cancel request to the matching engine. */
  readonly cancelMs: number;
  /** The venue's extra delay on marketable (taker) orders (crypto markets: ~150 ms). */
  readonly takerDelayMs: number;
  /** Venue to bot: answers and every WebSocket frame. */
  readonly feedMs: number;
}

export const DEFAULT_LATENCY: Latency = { orderMs: 250, cancelMs: 150, takerDelayMs: 150, feedMs: 50 };

interface Ctx {
  readonly core: VenueCore;
  readonly owner: string;
  readonly creds: ApiCreds;
  readonly keyOf: KeyOf;
  readonly scheduler: SchedulerLike;
  readonly latency: Latency;
  /** Called after the core changed so the sockets see its events (as the venue server does). */
  readonly publish: () => void;
  /** Called as an answer is delivered (a promise settles): its continuations are due now. */
  readonly answered?: () => void;
}

/** Run `work` at the venue `inMs` from now, answer `outMs` after that (a rejected promise if it throws). */
function roundTrip<T>(ctx: Ctx, inMs: number, work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    ctx.scheduler.schedule(() => {
      let result: T;
      try {
        result = work();
      } catch (err) {
        return void ctx.scheduler.schedule(() => (ctx.answered?.(), reject(err as Error)), ctx.latency.feedMs);
      }
      ctx.publish();
      ctx.scheduler.schedule(() => (ctx.answered?.(), resolve(result)), ctx.latency.feedMs);
    }, inMs);
  });
}

const restOrderOf = (o: VOrder): RestOrder => ({
  orderId: o.id,
  conditionId: o.conditionId,
  tokenId: o.tokenId,
  side: o.side,
  price: o.price,
  size: o.originalSize,
  sizeMatched: o.sizeMatched,
  orderType: o.orderType,
  tsMs: o.createdMs,
});

const resultOf = (r: VPlaceResult): PostResult =>
  r.success ? { ok: true, orderId: r.orderId, status: r.status } : { ok: false, error: r.errorMsg || 'rejected' };

export function coreExchange(ctx: Ctx): Exchange {
  const { core, owner, latency } = ctx;
  const now = (): number => ctx.scheduler.now();
  core.ensureAccount(owner);
  const place = (o: DesiredOrder): PostResult =>
    resultOf(
      core.placeOrder(
        {
          owner,
          tokenId: o.tokenId,
          side: o.side,
          price: o.price,
          size: o.size,
          orderType: o.orderType === 'GTD' ? 'GTD' : 'GTC',
          postOnly: o.postOnly,
          expirationS: 0,
        },
        now(),
      ),
    );
  return {
    address: owner,
    creds: ctx.creds,
    post: (orders: readonly DesiredOrder[], _market: MarketIdentity) =>
      roundTrip(ctx, latency.orderMs, () => orders.map(place)),
    cancel: (ids) =>
      roundTrip(ctx, latency.cancelMs, () => {
        const canceled: string[] = [];
        const notCanceled: Record<string, string> = {};
        for (const id of ids) {
          const r = core.cancelOrder(owner, id, now());
          if (r.canceled) canceled.push(id);
          else notCanceled[id] = r.reason ?? 'not canceled';
        }
        return { canceled, notCanceled };
      }),
    cancelAll: () => roundTrip(ctx, latency.cancelMs, () => void core.cancelAll(owner, now())),
    take: (intent: TakerIntent) =>
      roundTrip(ctx, latency.orderMs + latency.takerDelayMs, () =>
        resultOf(
          core.placeOrder(
            {
              owner,
              tokenId: intent.tokenId,
              side: 'BUY',
              price: intent.maxPrice,
              // As the official client signs a marketable BUY: the USDC, and the shares it buys at the cap.
              size: Math.floor((intent.amountUsdc / intent.maxPrice) * 1e4 + 1e-6) / 1e4,
              spendUsdc: intent.amountUsdc,
              orderType: intent.orderType,
              postOnly: false,
              expirationS: 0,
            },
            now(),
          ),
        ),
      ),
    heartbeat: () => roundTrip(ctx, latency.orderMs, () => core.heartbeat(owner, now())),
    openOrders: () => roundTrip(ctx, latency.orderMs, () => core.openOrders(owner).map(restOrderOf)),
    trades: (afterMs) =>
      roundTrip(ctx, latency.orderMs, () =>
        core.trades(owner, { afterMs }).flatMap((t): UserTradeMsg[] => {
          const msg = parseUserObject(tradeRecord(t, owner, ctx.keyOf), now());
          return msg.type === 'trade' ? [msg] : [];
        }),
      ),
    positions: (tokenIds) =>
      roundTrip(ctx, latency.orderMs, () => tokenIds.map((t) => core.balance(owner).positions[t] ?? 0)),
    presignAround: () => undefined,
    close: async () => undefined,
  };
}

/** Gamma's `GET /markets?slug=…`, answered from the core after the feed delay. */
export function gammaFetch(
  core: VenueCore,
  scheduler: SchedulerLike,
  latency: Latency,
  answered: () => void = () => undefined,
): typeof fetch {
  const answer = (status: number, body: unknown): Response =>
    ({ status, ok: status >= 200 && status < 300, json: async () => body }) as unknown as Response;
  // A market's Gamma object without its book prices, built once per version of the market (the core
  // replaces a market object when it changes): discovery asks for the same two every few seconds.
  const wireOf = new WeakMap<VMarket, Record<string, unknown>>();
  const base = (m: VMarket): Record<string, unknown> => {
    let w = wireOf.get(m);
    if (!w) wireOf.set(m, (w = gammaMarket(m)));
    return w;
  };
  return (input) =>
    new Promise<Response>((resolve) => {
      scheduler.schedule(() => {
        const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
        const m = core.marketBySlug(url.searchParams.get('slug') ?? '');
        answered();
        const book = m && core.book(m.tokenUp);
        resolve(
          m
            ? answer(200, [
                { ...base(m), ...gammaBookPrices({ bestBid: book?.bids[0]?.price, bestAsk: book?.asks[0]?.price }) },
              ])
            : answer(404, { error: 'not found' }),
        );
      }, latency.orderMs + latency.feedMs);
    });
}
