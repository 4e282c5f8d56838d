// The exchange adapter: orders are built and EIP-712 signed by the official
// @polymarket/clob-client-v2 (its order builder, its payload format `orderToJsonV2`); every
// authenticated REST call goes through our lean transport (`rest.ts`: keep-alive node:http, one
// serialization, sync HMAC) and fails with a typed ExchangeError carrying the venue's pacing.
import {
  AssetType,
  OrderType,
  Side,
  isV2Order,
  orderToJsonV2,
  type ClobClient,
  type SignedOrder,
  type TickSize,
} from '@polymarket/clob-client-v2';
import { ExchangeError, type LimitBucket, type Pacing } from './errors.js';
import { l2Signer, type L2Signer } from './l2auth.js';
import { neighbours, type Presigner } from './presign.js';
import { tellTick } from './tickCache.js';
import { restClient, withTimeout, type Method } from './rest.js';
import type { Exchange, PostResult, RestOrder } from './exchange.js';
import {
  balanceAnswer,
  cancelAnswer,
  heartbeatAnswer,
  openOrdersPage,
  orderResult,
  postAnswer,
  tradesPage,
} from './restAnswers.js';
import type { ApiCreds, MarketIdentity } from '../../domain/index.js';
import { parseUserObject, type UserTradeMsg } from '../../wire/user.js';

/** The refusal of orders whose signing ended past their deadline (nothing was sent). */
export const NOT_SENT = 'not sent: no longer wanted (past the cutoff margin, halted or stopping)';

export interface ClobExchangeOptions {
  /** The signer's address (checksummed), sent as POLY_ADDRESS. */
  readonly signerAddress: string;
  /** The signature type of the wallet (0 EOA, 1 proxy, 2 safe, 3 deposit wallet), for balance queries. */
  readonly signatureType?: number;
  readonly timeoutMs?: number;
  readonly clock?: () => number;
  readonly presigner?: Presigner;
  readonly presignTicks?: number;
  /** Derive the API key again through L1 auth (after a 401). */
  readonly renew?: () => Promise<ApiCreds>;
}

/** The message of the error that halts the bot when the venue refuses even freshly derived credentials. */
export const AUTH_REFUSED =
  'API credentials refused (401) even after deriving them again: halting; check the wallet and the API key';

const tickOf = (m: MarketIdentity): TickSize => String(m.tickSize) as TickSize;

/** The wire form of a signed order (the client's own `orderToJsonV2`); we always build V2 orders. */
function payload(
  order: SignedOrder,
  owner: string,
  orderType: OrderType,
  postOnly: boolean,
): ReturnType<typeof orderToJsonV2> {
  if (!isV2Order(order)) throw new ExchangeError('the order builder returned a V1 order; only V2 orders are posted');
  return orderToJsonV2(order, owner, orderType, postOnly, false);
}

/** The heartbeat id a refused heartbeat's answer says the venue expects (400 "Invalid Heartbeat ID"). */
function expectedHeartbeatId(err: unknown): string | undefined {
  if (!(err instanceof ExchangeError) || err.failure.kind !== 'rejected') return undefined;
  const a = err.answer;
  return typeof a === 'object' && a !== null && typeof (a as { heartbeat_id?: unknown }).heartbeat_id === 'string'
    ? (a as { heartbeat_id: string }).heartbeat_id || undefined
    : undefined;
}

const END_CURSOR = 'LTE=';
const FIRST_CURSOR = 'MA==';

export function clobExchange(
  client: ClobClient,
  address: string,
  initialCreds: ApiCreds,
  opts: ClobExchangeOptions,
): Exchange {
  const clock = opts.clock ?? (() => Date.now());
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const lastPacing = new Map<LimitBucket, Pacing>();
  const rest = restClient({
    host: client.host,
    timeoutMs,
    clock,
    onPacing: (bucket, p) => void lastPacing.set(bucket, p),
  });
  const { presigner, renew } = opts;
  let creds = initialCreds;
  let signer: L2Signer = l2Signer(creds, opts.signerAddress);
  let heartbeatId = '';

  // One renewal per rejection: a 401 derives the key again (one renewal shared by the calls that
  // fail meanwhile) and retries; a 401 with the renewed key before it ever worked means refused for
  // good: every call then fails at once with AUTH_REFUSED (the strategy halts on it).
  let renewedSigner: L2Signer | undefined;
  let renewing: Promise<void> | undefined;
  let refused: ExchangeError | undefined;
  const refuse = (): ExchangeError =>
    (refused ??= new ExchangeError(AUTH_REFUSED, { kind: 'auth', status: 401, final: true }));
  const is401 = (err: unknown): boolean => err instanceof ExchangeError && err.failure.kind === 'auth';
  /** What `authed` throws when an order's `stillWanted` says no before its retry: the caller answers with refusals. */
  const unwanted = new ExchangeError(NOT_SENT);
  const authed = async <T>(
    method: Method,
    path: string,
    o: { body?: unknown; query?: Record<string, string>; bucket?: LimitBucket; stillWanted?: () => boolean } = {},
  ): Promise<T> => {
    if (refused) throw refused;
    const used = signer;
    try {
      const r = await rest.call<T>(method, path, { ...o, signer: used });
      if (used === renewedSigner) renewedSigner = undefined; // the renewed key works
      return r.data;
    } catch (err) {
      if (!renew || !is401(err)) throw err;
      if (used === renewedSigner) throw refuse();
      if (signer === used) {
        renewing ??= renew()
          .then(
            (fresh) => void ((creds = fresh), (signer = l2Signer(fresh, opts.signerAddress)), (renewedSigner = signer)),
          )
          .finally(() => (renewing = undefined));
      }
      await renewing;
      // The renewal took time (key derivation): an order past the cutoff, or since halted or
      // stopped, is not sent again.
      if (o.stillWanted && !o.stillWanted()) throw unwanted;
      try {
        return (await rest.call<T>(method, path, { ...o, signer })).data;
      } catch (again) {
        throw is401(again) ? refuse() : again;
      }
    }
  };
  const sign = (work: Promise<SignedOrder>): Promise<SignedOrder> => withTimeout(work, timeoutMs, 'the order builder');

  return {
    address,
    get creds() {
      return creds;
    },
    ...(presigner ? { presignStats: presigner.stats } : {}),
    takePacing(bucket) {
      const p = lastPacing.get(bucket);
      lastPacing.delete(bucket);
      return p;
    },
    async post(orders, market, stillWanted) {
      const options = { tickSize: tickOf(market), negRisk: market.negRisk, version: 2 as const };
      tellTick(client, [market.tokenUp, market.tokenDown], options.tickSize);
      // A pre-signed order of the same shape when one is ready; else sign now.
      const signed = await Promise.all(
        orders.map(
          (o) =>
            presigner?.take(o) ??
            sign(
              client.createOrder(
                { tokenID: o.tokenId, price: o.price, size: o.size, side: o.side === 'BUY' ? Side.BUY : Side.SELL },
                options,
              ),
            ),
        ),
      );
      const refused = (): PostResult[] => orders.map(() => ({ ok: false, error: NOT_SENT }));
      if (stillWanted && !stillWanted()) return refused(); // e.g. a slow signature ran past the cutoff margin
      const postOnly = orders.every((o) => o.postOnly);
      const body = signed.map((order) => payload(order, creds.key, OrderType.GTC, postOnly));
      try {
        return postAnswer(
          await authed<unknown>('POST', '/orders', { body, bucket: 'order', stillWanted }),
          orders.length,
        );
      } catch (e) {
        if (e === unwanted) return refused();
        throw e;
      }
    },
    async cancel(orderIds) {
      if (orderIds.length === 0) return { canceled: [], notCanceled: {} };
      return cancelAnswer(await authed<unknown>('DELETE', '/orders', { body: [...orderIds], bucket: 'cancel' }));
    },
    async cancelAll() {
      await authed('DELETE', '/cancel-all', { bucket: 'cancel' });
    },
    async take(intent, market, stillWanted) {
      const options = { tickSize: tickOf(market), negRisk: market.negRisk, version: 2 as const };
      // A market order's first build per token fetches the market's info, which resets the client's
      // tick: fetch it (once) before telling the tick.
      await client.getFeeExponent(intent.tokenId);
      tellTick(client, [market.tokenUp, market.tokenDown], options.tickSize);
      const orderType = intent.orderType === 'FAK' ? OrderType.FAK : OrderType.FOK;
      const order = await sign(
        client.createMarketOrder(
          { tokenID: intent.tokenId, price: intent.maxPrice, amount: intent.amountUsdc, side: Side.BUY, orderType },
          options,
        ),
      );
      if (stillWanted && !stillWanted()) return { ok: false, error: NOT_SENT };
      // The venue's answer is the result: we do not wait for the trades' transaction hashes (the
      // official client polls up to 30 s for them; the fills come on the user channel anyway).
      // An error answer throws, typed, so the sink paces its order bucket from it.
      try {
        return orderResult(
          await authed<unknown>('POST', '/order', {
            body: payload(order, creds.key, orderType, false),
            bucket: 'order',
            stillWanted,
          }),
        );
      } catch (e) {
        if (e === unwanted) return { ok: false, error: NOT_SENT };
        throw e;
      }
    },
    async heartbeat() {
      const beat = async (): Promise<ReturnType<typeof heartbeatAnswer>> =>
        heartbeatAnswer(await authed<unknown>('POST', '/v1/heartbeats', { body: { heartbeat_id: heartbeatId } }));
      let r: ReturnType<typeof heartbeatAnswer>;
      try {
        r = await beat();
      } catch (err) {
        // The chain moved on without us (an answer lost, or another client of this key): the venue
        // refuses the stale id with the one it expects. Take it up and beat again at once.
        const expected = expectedHeartbeatId(err);
        if (expected === undefined || expected === heartbeatId) throw err;
        heartbeatId = expected;
        r = await beat();
      }
      if (r.error)
        throw new ExchangeError(`heartbeat refused: ${r.error}`, { kind: 'rejected', status: 200, reason: r.error });
      heartbeatId = r.heartbeatId || heartbeatId;
    },
    presignAround(orders, market) {
      if (presigner && orders.length)
        presigner.request(neighbours(orders, market.tickSize, opts.presignTicks ?? 2), tickOf(market), market.negRisk);
    },
    async close() {
      rest.close();
      await presigner?.close();
    },
    async positions(tokenIds) {
      const signature_type = String(opts.signatureType ?? 0);
      const balances = await Promise.all(
        tokenIds.map((token_id) =>
          authed<unknown>('GET', '/balance-allowance', {
            query: { asset_type: AssetType.CONDITIONAL, token_id, signature_type },
          }),
        ),
      );
      return balances.map(balanceAnswer);
    },
    async openOrders() {
      const out: RestOrder[] = [];
      for (let cursor = FIRST_CURSOR, page = 0; cursor !== END_CURSOR && page < 100; page++) {
        const p = openOrdersPage(await authed<unknown>('GET', '/data/orders', { query: { next_cursor: cursor } }));
        out.push(...p.items);
        cursor = p.nextCursor || END_CURSOR;
      }
      return out;
    },
    async trades(afterMs) {
      const out: UserTradeMsg[] = [];
      const after = String(Math.floor(afterMs / 1000));
      for (let cursor = FIRST_CURSOR, page = 0; cursor !== END_CURSOR && page < 50; page++) {
        const p = tradesPage(await authed<unknown>('GET', '/data/trades', { query: { after, next_cursor: cursor } }));
        for (const t of p.items) {
          try {
            const msg = parseUserObject(t, clock());
            if (msg.type === 'trade') out.push(msg);
          } catch {
            // a trade we cannot read is skipped here; the user channel reports it too
          }
        }
        cursor = p.items.length === 0 ? END_CURSOR : p.nextCursor || END_CURSOR;
      }
      return out;
    },
  };
}
