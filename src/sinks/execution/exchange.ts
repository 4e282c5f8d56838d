// The one place that signs orders and speaks CLOB REST: a thin adapter over the official
// @polymarket/clob-client-v2 (EIP-712 V2 signing, L1/L2 auth). Everything else sees `Exchange`.
import { AssetType, ClobClient, OrderType, Side, SignatureTypeV2, type ApiKeyCreds, type OpenOrder, type TickSize } from '@polymarket/clob-client-v2';
import { accountOf, randomAccount, type KeyAccount } from './account.js';
import { fastSigner } from './signer.js';
import { startPresigner, neighbours, type Presigner } from './presign.js';
import { configureRestTransport, PACING_FIELD, pacingOf, venueAnswer, type Pacing } from './transport.js';
import type { Config } from '../../config/schema.js';
import type { ApiCreds, DesiredOrder, LiveOrder, MarketIdentity, TakerIntent } from '../../domain/index.js';
import { outcomeOf } from '../../domain/index.js';
import { parseUserObject, type UserTradeMsg } from '../../wire/user.js';

export interface PostResult {
  readonly ok: boolean;
  readonly orderId?: string;
  readonly status?: string;
  readonly error?: string;
}

/** An open order as REST reports it (outcome resolved later against the known markets). */
export interface RestOrder {
  readonly orderId: string;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: number;
  readonly size: number;
  readonly sizeMatched: number;
  readonly orderType: string;
  readonly tsMs: number;
}

/** An open order read back from REST as a live order of `market` (undefined if not one of its tokens). */
export function liveOrderOf(o: RestOrder, market: MarketIdentity | undefined): LiveOrder | undefined {
  const outcome = market && outcomeOf(market, o.tokenId);
  if (!outcome) return undefined;
  const { orderId, conditionId, tokenId, side, price, size, sizeMatched, tsMs } = o;
  return { orderId, conditionId, tokenId, outcome, side, price, size, sizeMatched, orderType: 'GTC', status: 'live', tsMs };
}

export interface Exchange {
  /** Lower-cased signer (or funder) address. */
  readonly address: string;
  readonly creds: ApiCreds;
  /** Sign and post up to 15 resting orders in one batch; one result per order, in order. */
  post(orders: readonly DesiredOrder[], market: MarketIdentity): Promise<PostResult[]>;
  cancel(orderIds: readonly string[]): Promise<{ canceled: string[]; notCanceled: Record<string, string> }>;
  cancelAll(): Promise<void>;
  /** A FOK/FAK buy of `size` shares at no worse than `maxPrice`. */
  take(intent: TakerIntent, market: MarketIdentity): Promise<PostResult>;
  heartbeat(): Promise<void>;
  openOrders(): Promise<RestOrder[]>;
  trades(afterMs: number): Promise<UserTradeMsg[]>;
  /** Shares held of each token (conditional-token balances). */
  positions(tokenIds: readonly string[]): Promise<number[]>;
  /** Pre-sign, in the background, the orders likely to follow these (prices a tick or two away). */
  presignAround(orders: readonly DesiredOrder[], market: MarketIdentity): void;
  /** Presign cache counters, when presigning is on. */
  readonly presignStats?: Presigner['stats'];
  close(): Promise<void>;
}

/** An HTTP error from the venue, typed: its status (429, 401, 403 …) and pacing headers. */
export class ExchangeError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** Retry-After, in ms, when the venue sent it. */
    readonly retryAfterMs?: number,
    /** Poly-RateLimit-* headers (lower-cased names), when sent. */
    readonly rateLimit?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

const SIGNATURE_TYPES = { EOA: SignatureTypeV2.EOA, PROXY: SignatureTypeV2.POLY_PROXY, SAFE: SignatureTypeV2.POLY_GNOSIS_SAFE, DEPOSIT: SignatureTypeV2.POLY_1271 } as const;

/** The client's errors carry the HTTP status and body (and, through the transport, the pacing
 * headers); keep those and the message, never the auth headers. */
export function toExchangeError(err: unknown): ExchangeError {
  if (err instanceof ExchangeError) return err;
  const e = err as { status?: number; data?: Record<string, unknown>; response?: { status?: number; headers?: unknown; data?: { error?: string; errorMsg?: string } }; message?: string };
  const status = e.status ?? e.response?.status;
  const msg = e.response?.data?.error ?? e.response?.data?.errorMsg ?? e.message ?? String(err);
  const pacing = (e.data?.[PACING_FIELD] as Pacing | undefined) ?? pacingOf(e.response?.headers);
  return new ExchangeError(status ? `HTTP ${status}: ${msg}` : msg, status, pacing?.retryAfterMs, pacing?.rateLimit);
}

interface OrderAnswer {
  readonly success?: boolean;
  readonly orderID?: string;
  readonly status?: string;
  readonly errorMsg?: string;
  readonly error?: string;
}

function resultOf(httpStatus: number, r: OrderAnswer | undefined): PostResult {
  if (httpStatus >= 200 && httpStatus < 300 && r?.success) return { ok: true, ...(r.orderID ? { orderId: r.orderID } : {}), ...(r.status ? { status: r.status } : {}) };
  return { ok: false, error: r?.errorMsg || r?.error || `HTTP ${httpStatus}` };
}

async function call<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw toExchangeError(err);
  }
}

const tickOf = (m: MarketIdentity): TickSize => String(m.tickSize) as TickSize;

function restOrder(o: OpenOrder): RestOrder {
  return {
    orderId: o.id, conditionId: o.market, tokenId: o.asset_id, side: o.side === 'SELL' ? 'SELL' : 'BUY', price: Number(o.price),
    size: Number(o.original_size), sizeMatched: Number(o.size_matched), orderType: o.order_type, tsMs: Number(o.created_at) * 1000,
  };
}

export interface ConnectOptions {
  /** Use a fresh random key when none is configured (the simulated venue only). */
  readonly randomKeyIfMissing: boolean;
  /** Told of presigner (worker) errors; signing then happens inline. */
  readonly onPresignError?: (error: string, fatal: boolean) => void;
}

/** Create the signer, derive or take the API credentials, and return the exchange adapter. */
export async function connectExchange(cfg: Config, opts: ConnectOptions): Promise<Exchange> {
  const key = cfg.wallet.privateKey;
  if (!key && !opts.randomKeyIfMissing) throw new ExchangeError('wallet.privateKey (PMM_PRIVATE_KEY) is required to trade live');
  let wallet: KeyAccount;
  try {
    wallet = key ? accountOf(key) : randomAccount();
  } catch {
    throw new ExchangeError('wallet.privateKey is not a valid private key'); // never echo the key
  }
  const signer = fastSigner(wallet.privateKey);
  configureRestTransport(cfg.rest.timeoutMs);
  const host = cfg.endpoints.clob;
  const chain = cfg.wallet.chainId;
  const signatureType = SIGNATURE_TYPES[cfg.wallet.mode];
  if (cfg.wallet.mode !== 'EOA' && !cfg.wallet.funder) throw new ExchangeError(`wallet.funder is required for wallet.mode ${cfg.wallet.mode}`);
  const funderAddress = cfg.wallet.funder;
  const base = { host, chain, signer: signer as never, signatureType, throwOnError: true, ...(funderAddress ? { funderAddress } : {}) };
  const given = cfg.wallet.apiKey && cfg.wallet.apiSecret && cfg.wallet.apiPassphrase;
  const creds: ApiKeyCreds = given
    ? { key: cfg.wallet.apiKey!, secret: cfg.wallet.apiSecret!, passphrase: cfg.wallet.apiPassphrase! }
    : await call(() => new ClobClient(base).createOrDeriveApiKey());
  const client = new ClobClient({ ...base, creds });
  // On a 401 (the venue forgot our key, e.g. after a restart) derive the key again through L1 auth.
  const renew = async (): Promise<Renewed> => {
    const fresh = await call(() => new ClobClient(base).createOrDeriveApiKey());
    return { client: new ClobClient({ ...base, creds: fresh }), creds: fresh };
  };
  const presigner = cfg.presign.enabled
    ? startPresigner({ privateKey: wallet.privateKey, host, chain, signatureType, ...(funderAddress ? { funderAddress } : {}) }, { maxAgeMs: cfg.presign.maxAgeMs, maxEntries: 2_000, clock: () => Date.now(), ...(opts.onPresignError ? { onError: opts.onPresignError } : {}) })
    : undefined;
  return clobExchange(client, (funderAddress ?? wallet.address).toLowerCase(), creds, presigner, cfg.presign.ticks, renew);
}

export interface Renewed {
  readonly client: ClobClient;
  readonly creds: ApiCreds;
}

/** The message of the error that halts the bot when the venue refuses even freshly derived credentials. */
export const AUTH_REFUSED = 'API credentials refused (401) even after deriving them again: halting; check the wallet and the API key';

export function clobExchange(initialClient: ClobClient, address: string, initialCreds: ApiCreds, presigner?: Presigner, presignTicks = 2, renew?: () => Promise<Renewed>): Exchange {
  let heartbeatId: string | undefined;
  let client = initialClient;
  let creds = initialCreds;
  // One renewal per rejection: a 401 derives the key again (one renewal shared by the calls that
  // fail meanwhile) and retries; a 401 with the renewed key before it ever worked means refused for
  // good: every call then fails at once with AUTH_REFUSED (the strategy halts on it).
  let renewed: ClobClient | undefined;
  let renewing: Promise<void> | undefined;
  let refused: ExchangeError | undefined;
  const refuse = (): ExchangeError => (refused ??= new ExchangeError(AUTH_REFUSED, 401));
  const is401 = (err: unknown): boolean => err instanceof ExchangeError && err.status === 401;
  const authed = async <T>(f: (c: ClobClient) => Promise<T>): Promise<T> => {
    if (refused) throw refused;
    const used = client;
    try {
      const r = await call(() => f(used));
      if (used === renewed) renewed = undefined; // the renewed key works
      return r;
    } catch (err) {
      if (!renew || !is401(err)) throw err;
      if (used === renewed) throw refuse();
      if (client === used) {
        renewing ??= renew()
          .then((r) => void ((client = r.client), (creds = r.creds), (renewed = r.client)))
          .finally(() => (renewing = undefined));
      }
      await renewing;
      try {
        return await call(() => f(client));
      } catch (again) {
        throw is401(again) ? refuse() : again;
      }
    }
  };
  return {
    address,
    get creds() {
      return creds;
    },
    ...(presigner ? { presignStats: presigner.stats } : {}),
    async post(orders, market) {
      const options = { tickSize: tickOf(market), negRisk: market.negRisk, version: 2 as const };
      // A pre-signed order of the same shape when one is ready; else sign now.
      const signed = await Promise.all(
        orders.map((o) => presigner?.take(o) ?? client.createOrder({ tokenID: o.tokenId, price: o.price, size: o.size, side: o.side === 'BUY' ? Side.BUY : Side.SELL }, options)),
      );
      const res = await authed((client) => client.postOrders(signed.map((order) => ({ order, orderType: OrderType.GTC })), orders.every((o) => o.postOnly)));
      return orders.map((_, i) => {
        const r = res[i];
        if (!r) return { ok: false, error: 'no response for this order' };
        return r.success && r.orderID ? { ok: true, orderId: r.orderID, status: r.status } : { ok: false, error: r.errorMsg || 'rejected', ...(r.orderID ? { orderId: r.orderID } : {}) };
      });
    },
    async cancel(orderIds) {
      if (orderIds.length === 0) return { canceled: [], notCanceled: {} };
      const r = (await authed((client) => client.cancelOrders([...orderIds]))) as { canceled?: string[]; not_canceled?: Record<string, string> };
      return { canceled: r.canceled ?? [], notCanceled: r.not_canceled ?? {} };
    },
    async cancelAll() {
      await authed((client) => client.cancelAll());
    },
    async take(intent, market) {
      const options = { tickSize: tickOf(market), negRisk: market.negRisk, version: 2 as const };
      // A BUY market order is sized in USDC: shares at the cap price bound the spend.
      const amount = Math.floor(intent.size * intent.maxPrice * 100) / 100;
      const orderType = intent.orderType === 'FAK' ? OrderType.FAK : OrderType.FOK;
      const order = await client.createMarketOrder({ tokenID: intent.tokenId, price: intent.maxPrice, amount, side: Side.BUY, orderType }, options);
      // Report as soon as the venue answers: for a matched order the client then polls for the
      // trades' transaction hashes (seconds; the fills come on the user channel anyway), and the
      // sink holds the market's lock, its re-quotes and cancels, until we return.
      const early = venueAnswer(order.salt);
      const full = client.postOrder(order, orderType);
      full.catch(() => undefined); // settled through the race below, or no longer needed
      try {
        const first = await Promise.race([early.answer.then((answer) => ({ answer })), full.then((response) => ({ response }))]);
        if ('answer' in first) return resultOf(first.answer.status, first.answer.data as OrderAnswer);
        return resultOf(200, first.response);
      } catch (err) {
        return { ok: false, error: toExchangeError(err).message };
      } finally {
        early.cancel();
      }
    },
    async heartbeat() {
      const r = await authed((client) => client.postHeartbeat(heartbeatId));
      if (r.error_msg) throw new ExchangeError(r.error_msg);
      heartbeatId = r.heartbeat_id || heartbeatId;
    },
    presignAround(orders, market) {
      if (presigner && orders.length) presigner.request(neighbours(orders, market.tickSize, presignTicks), tickOf(market), market.negRisk);
    },
    async close() {
      await presigner?.close();
    },
    async positions(tokenIds) {
      const balances = await Promise.all(tokenIds.map((token_id) => authed((client) => client.getBalanceAllowance({ asset_type: AssetType.CONDITIONAL, token_id }))));
      return balances.map((b) => Number(b.balance) / 1e6);
    },
    async openOrders() {
      return (await authed((client) => client.getOpenOrders())).map(restOrder);
    },
    async trades(afterMs) {
      const out: UserTradeMsg[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const r = await authed((client) => client.getTradesPaginated({ after: String(Math.floor(afterMs / 1000)) }, cursor));
        for (const t of r.trades) {
          try {
            const msg = parseUserObject(t, Date.now());
            if (msg.type === 'trade') out.push(msg);
          } catch {
            // a trade we cannot read is skipped here; the user channel reports it too
          }
        }
        if (!r.next_cursor || r.next_cursor === 'LTE=' || r.trades.length === 0) break;
        cursor = r.next_cursor;
      }
      return out;
    },
  };
}
