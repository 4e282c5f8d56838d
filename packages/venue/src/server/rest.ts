// Gamma and CLOB REST over node:http: thin handlers that authenticate, decode and call the core.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getContractConfig } from '@polymarket/clob-client-v2';
import type { VenueCore, VOrderType } from '../core/types.js';
import { CredStore, verifyL1, verifyL2, verifyOrder, type WireOrder } from './auth.js';
import type { FaultController } from './faults.js';
import type { Admission, LimitBucket, SignerLimits } from './signerLimits.js';
import { gammaEvent, gammaMarket, restBook, restOrder, tradeRecord } from './wire.js';
import { listMarkets } from './gammaListing.js';
import { depositWalletOf, verifyDepositWalletOrder } from './depositWallet.js';
import { engineRefusal, type EngineMode } from './engineWindows.js';
import type { HeartbeatChains } from './heartbeats.js';

export interface RestContext {
  readonly core: VenueCore;
  readonly creds: CredStore;
  readonly faults: FaultController;
  readonly chainId: number;
  readonly now: () => number;
  /** Called after any state change so sockets see its events at once. */
  readonly flush: () => void;
  readonly bookHash: (tokenId: string) => string;
  /** Each account's heartbeat chain (the id its next heartbeat must carry). */
  readonly heartbeats: HeartbeatChains;
  /** Per-signer trading limits; undefined: none. */
  readonly limits?: SignerLimits;
  /** The matching engine's mode now (weekly restart, post-only, cancel-only); undefined: normal. */
  readonly engineMode?: () => EngineMode;
  /** An account authenticated (L1): the venue's chain mirrors it from now on. */
  readonly onAccount?: (address: string) => void;
  /** An order signed for a PROXY / SAFE / deposit wallet (its maker): where the account's tokens live on chain. */
  readonly onWallet?: (owner: string, maker: string, signatureType: number) => void;
}

type Json = unknown;
interface Req {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
}
type Res = { status: number; body: Json; headers?: Record<string, string> };

const ok = (body: Json): Res => ({ status: 200, body });
const err = (status: number, error: string): Res => ({ status, body: { error } });
const END_CURSOR = 'LTE=';
const MAX_UINT = '115792089237316195423570985008687907853269984665640564039457584007913129639935';
/** The V2 exchange contracts that spend pUSD (the chain's published addresses). */
const exchangeSpenders = (chainId: number): string[] => {
  const c = getContractConfig(chainId);
  return [c.exchangeV2, c.negRiskExchangeV2, c.negRiskAdapter];
};
const GEOBLOCK =
  'Trading restricted in your region, please refer to available regions - https://docs.polymarket.com/developers/CLOB/geoblock';
const TRADING = new Set(['/order', '/orders', '/cancel-all', '/cancel-market-orders', '/v1/heartbeats', '/heartbeats']);

function parseJson(body: string): { value?: unknown; error?: string } {
  try {
    return { value: body ? JSON.parse(body) : undefined };
  } catch {
    return { error: 'Invalid JSON body' };
  }
}

/**
 * Decode a signed order's amounts (6 decimals) into price and size. A market order's second amount
 * is the official client's rounding of the first at its price (a BUY's shares, a SELL's USDC, down to
 * a few decimals), so their ratio is off its price by up to that rounding: a BUY's ratio above it, a
 * SELL's below. Within that slack the price is the 0.0001 grid's value on the rounding's side.
 */
export function decodeAmounts(o: WireOrder): { price: number; size: number } {
  const maker = Number(o.makerAmount) / 1e6;
  const taker = Number(o.takerAmount) / 1e6;
  const buy = o.side === 'BUY';
  const shares = buy ? taker : maker;
  const usdc = buy ? maker : taker;
  if (!(shares > 0)) return { size: shares, price: 0 };
  const raw = usdc / shares;
  const ROUNDING = 1e-4;
  const snapped = buy ? Math.floor(raw * 1e4 + 1e-6) / 1e4 : Math.ceil(raw * 1e4 - 1e-6) / 1e4;
  const slack = buy ? raw - usdc / (shares + ROUNDING) : ROUNDING / shares;
  return { size: shares, price: Math.abs(snapped - raw) <= slack + 1e-9 ? snapped : raw };
}

/**
 * A POLY_1271 order: maker and signer are the deposit wallet, which must be the API key owner's
 * (the key is the owner's, as the official client derives it); the signature is the wallet's check.
 */
function verifyForDepositWallet(
  ctx: RestContext,
  owner: string,
  order: WireOrder,
): { hash: string; signer: string } | { error: string } {
  if (typeof order.signer !== 'string' || typeof order.maker !== 'string') return { error: 'invalid order payload' };
  if (order.maker.toLowerCase() !== order.signer.toLowerCase())
    return { error: 'invalid signature: maker must be the signer for POLY_1271 orders' };
  if (order.signer.toLowerCase() !== depositWalletOf(owner).toLowerCase())
    return { error: 'the order signer address has to be the address of the API KEY' };
  const v = verifyDepositWalletOrder(order, ctx.chainId, owner);
  return 'error' in v ? v : { hash: v.hash, signer: order.signer.toLowerCase() };
}

function placeOne(ctx: RestContext, owner: string, entry: Record<string, unknown>): Record<string, unknown> {
  const fail = (errorMsg: string) => ({
    success: false,
    errorMsg,
    orderID: null,
    status: '',
    makingAmount: '',
    takingAmount: '',
    tradeIDs: [],
  });
  const order = entry.order as WireOrder | undefined;
  if (!order || typeof order !== 'object') return fail('invalid order payload');
  const verified =
    order.signatureType === 3 ? verifyForDepositWallet(ctx, owner, order) : verifyOrder(order, ctx.chainId);
  if ('error' in verified) return fail(verified.error);
  if (order.signatureType !== 3 && verified.signer !== owner)
    return fail('the order signer address has to be the address of the API KEY');
  if (order.signatureType === 0 && order.maker.toLowerCase() !== verified.signer)
    return fail('invalid signature: maker must be the signer for EOA orders');
  if (order.signatureType >= 1 && order.signatureType <= 3) ctx.onWallet?.(owner, order.maker, order.signatureType);
  if (ctx.faults.draw(ctx.faults.get().rejectRate)) return fail('order rejected (simulated fault)');
  if (ctx.faults.get().postOnlyMode && entry.postOnly !== true)
    return fail('the exchange is in post-only mode: only post-only orders are accepted');
  const orderType = String(entry.orderType ?? 'GTC') as VOrderType;
  if (!['GTC', 'GTD', 'FOK', 'FAK'].includes(orderType)) return fail(`invalid order type ${orderType}`);
  const { price, size } = decodeAmounts(order);
  const r = ctx.core.placeOrder(
    {
      owner,
      tokenId: order.tokenId,
      side: order.side,
      price: Math.round(price * 1e6) / 1e6,
      size: Math.round(size * 1e6) / 1e6,
      // A marketable BUY is sized in USDC, its maker amount: the venue spends it all.
      ...(order.side === 'BUY' && (orderType === 'FOK' || orderType === 'FAK')
        ? { spendUsdc: Number(order.makerAmount) / 1e6 }
        : {}),
      orderType,
      postOnly: entry.postOnly === true,
      expirationS: Number(order.expiration ?? 0),
      orderId: verified.hash,
    },
    ctx.now(),
  );
  // Since Polymarket's asynchronous settlement pipeline (July 2026) a matched order's answer carries
  // its trade IDs and no transaction hashes: those appear on the trades once mined.
  return {
    success: r.success,
    errorMsg: r.errorMsg,
    orderID: r.orderId || null,
    status: r.status,
    makingAmount: r.makingAmount,
    takingAmount: r.takingAmount,
    tradeIDs: r.tradeIds,
  };
}

function publicRoute(ctx: RestContext, req: Req): Res | undefined {
  const { core, now } = ctx;
  const q = req.query;
  if (req.path === '/' || req.path === '/ok') return ok('OK');
  if (req.path === '/time') return ok(Math.floor(now() / 1000));
  if (req.path === '/version') return ok({ version: 2 });
  if (req.path === '/markets' && q.get('slug') !== null) {
    const m = core.marketBySlug(q.get('slug')!);
    return ok(
      m
        ? [
            gammaMarket(m, {
              bestBid: core.book(m.tokenUp)?.bids[0]?.price,
              bestAsk: core.book(m.tokenUp)?.asks[0]?.price,
            }),
          ]
        : [],
    );
  }
  if (req.path === '/markets') return ok(listMarkets(core, q));
  if (req.path === '/events' && q.get('slug') !== null) {
    const m = core.marketBySlug(q.get('slug')!);
    return ok(m ? [gammaEvent(m)] : []);
  }
  const tokenId = q.get('token_id') ?? '';
  if (req.path === '/book') {
    const b = core.book(tokenId);
    return b ? ok(restBook(b, ctx.bookHash(tokenId))) : err(404, 'No orderbook exists for the requested token id');
  }
  if (req.path === '/tick-size')
    return core.marketByToken(tokenId)
      ? ok({ minimum_tick_size: core.marketByToken(tokenId)!.tickSize })
      : err(404, 'market not found');
  if (req.path === '/neg-risk')
    return core.marketByToken(tokenId) ? ok({ neg_risk: false }) : err(404, 'market not found');
  if (req.path === '/fee-rate')
    return core.marketByToken(tokenId) ? ok({ base_fee: 1000 }) : err(404, 'market not found');
  if (req.path.startsWith('/markets-by-token/')) {
    const m = core.marketByToken(req.path.slice('/markets-by-token/'.length));
    return m
      ? ok({ condition_id: m.conditionId, primary_token_id: m.tokenUp, secondary_token_id: m.tokenDown })
      : err(404, 'market not found');
  }
  if (req.path.startsWith('/clob-markets/')) {
    const m = core.marketByCondition(req.path.slice('/clob-markets/'.length));
    if (!m) return err(404, 'market not found');
    return ok({
      c: m.conditionId,
      t: [
        { t: m.tokenUp, o: 'Up' },
        { t: m.tokenDown, o: 'Down' },
      ],
      mts: m.tickSize,
      mos: m.minSize,
      nr: false,
      fd: { r: m.feeSchedule.rate, e: m.feeSchedule.exponent, to: m.feeSchedule.takerOnly },
    });
  }
  return undefined;
}

/** Which signer bucket a request draws from, and its cost (undefined: charged after, by what it cancelled). */
function metered(req: Req, value: unknown): { bucket: LimitBucket; cost?: number } | undefined {
  const n = Array.isArray(value) ? value.length : 0;
  switch (`${req.method} ${req.path}`) {
    case 'POST /order':
      return { bucket: 'order', cost: 1 };
    case 'POST /orders':
      return { bucket: 'order', cost: n };
    case 'DELETE /order':
      return { bucket: 'cancel', cost: 1 };
    case 'DELETE /orders':
      return { bucket: 'cancel', cost: n };
    case 'DELETE /cancel-all':
    case 'DELETE /cancel-market-orders':
      return { bucket: 'cancel' };
    default:
      return undefined;
  }
}

/** The engine's restart / post-only / cancel-only windows, before any other check of an order or cancel. */
function engineGate(ctx: RestContext, req: Req, value: unknown): Res | undefined {
  const mode = ctx.engineMode?.() ?? 'normal';
  if (mode === 'normal') return undefined;
  const route = `${req.method} ${req.path}`;
  const call =
    route === 'POST /order' || route === 'POST /orders'
      ? 'order'
      : req.method === 'DELETE' && TRADING.has(req.path)
        ? 'cancel'
        : undefined;
  if (!call) return undefined;
  const entries = (Array.isArray(value) ? value : [value]) as Array<{ postOnly?: unknown } | undefined>;
  const r = engineRefusal(
    mode,
    call,
    entries.every((e) => e?.postOnly === true),
  );
  return r && err(r.status, r.error);
}

const limited = (a: Admission): Res => ({
  status: 429,
  body: { error: a.error ?? 'rate limited' },
  headers: a.headers,
});

function privateRoute(ctx: RestContext, req: Req, owner: string): Res {
  const parsed = parseJson(req.body);
  if (parsed.error) return err(400, parsed.error);
  if (ctx.faults.get().geoblock && TRADING.has(req.path)) return err(403, GEOBLOCK);
  const refused = engineGate(ctx, req, parsed.value);
  if (refused) return refused;
  const m = ctx.limits && metered(req, parsed.value);
  if (!ctx.limits || !m || m.cost === 0) return route(ctx, req, owner, parsed.value);
  if (m.cost !== undefined) {
    const a = ctx.limits.admit(owner, m.bucket, m.cost, ctx.now());
    return a.ok ? { ...route(ctx, req, owner, parsed.value), headers: a.headers } : limited(a);
  }
  const a = ctx.limits.admitThenCharge(owner, m.bucket, ctx.now());
  if (!a.ok) return limited(a);
  const res = route(ctx, req, owner, parsed.value);
  const canceled = (res.body as { canceled?: unknown[] }).canceled?.length ?? 0;
  return { ...res, headers: a.charge(1 + canceled) };
}

function route(ctx: RestContext, req: Req, owner: string, value: unknown): Res {
  const { core, now } = ctx;
  const q = req.query;
  const body = (value ?? {}) as Record<string, unknown>;
  switch (`${req.method} ${req.path}`) {
    case 'POST /order': {
      // A rejected single order answers 400 with the reason, as the CLOB does.
      const r = placeOne(ctx, owner, body);
      return r.success ? ok(r) : { status: 400, body: { ...r, error: r.errorMsg } };
    }
    case 'POST /orders': {
      if (!Array.isArray(value)) return err(400, 'Invalid order payload: expected an array');
      if (value.length > 15) return err(400, 'Too many orders in payload, max 15');
      return ok(value.map((e) => placeOne(ctx, owner, e as Record<string, unknown>)));
    }
    case 'DELETE /order': {
      const id = String(body.orderID ?? '');
      const r = core.cancelOrder(owner, id, now());
      return ok(
        r.canceled
          ? { canceled: [id], not_canceled: {} }
          : { canceled: [], not_canceled: { [id]: r.reason ?? 'order not found' } },
      );
    }
    case 'DELETE /orders': {
      const ids = Array.isArray(value) ? (value as string[]) : [];
      const out = { canceled: [] as string[], not_canceled: {} as Record<string, string> };
      for (const id of ids) {
        const r = core.cancelOrder(owner, id, now());
        if (r.canceled) out.canceled.push(id);
        else out.not_canceled[id] = r.reason ?? "the order can't be canceled";
      }
      return ok(out);
    }
    case 'DELETE /cancel-all':
      return ok({ canceled: core.cancelAll(owner, now()).canceled, not_canceled: {} });
    case 'DELETE /cancel-market-orders':
      return ok({
        canceled: core.cancelMarket(
          owner,
          { conditionId: (body.market as string) || undefined, tokenId: (body.asset_id as string) || undefined },
          now(),
        ).canceled,
        not_canceled: {},
      });
    case 'GET /data/orders': {
      const orders = core.openOrders(owner, {
        conditionId: q.get('market') ?? undefined,
        tokenId: q.get('asset_id') ?? undefined,
        orderId: q.get('id') ?? undefined,
      });
      return ok({
        data: orders.map((o) => restOrder(o, ctx.creds.keyOf)),
        next_cursor: END_CURSOR,
        limit: 500,
        count: orders.length,
      });
    }
    case 'GET /data/trades': {
      const after = q.get('after');
      let trades = core.trades(owner, {
        conditionId: q.get('market') ?? undefined,
        tokenId: q.get('asset_id') ?? undefined,
        afterMs: after ? Number(after) * 1000 : undefined,
      });
      if (q.get('id')) trades = trades.filter((t) => t.id === q.get('id'));
      const start =
        Number(
          q.get('next_cursor') && q.get('next_cursor') !== 'MA=='
            ? Buffer.from(q.get('next_cursor')!, 'base64').toString()
            : 0,
        ) || 0;
      const page = trades.slice(start, start + 500);
      const next = start + 500 < trades.length ? Buffer.from(String(start + 500)).toString('base64') : END_CURSOR;
      return ok({
        data: page.map((t) => tradeRecord(t, owner, ctx.creds.keyOf)),
        next_cursor: next,
        limit: 500,
        count: page.length,
      });
    }
    case 'POST /v1/heartbeats':
    case 'POST /heartbeats': {
      if (ctx.faults.get().heartbeatFail) return err(500, 'heartbeat failed (simulated fault)');
      const beat = ctx.heartbeats.beat(owner, typeof body.heartbeat_id === 'string' ? body.heartbeat_id : '');
      if (!beat.ok) return { status: 400, body: { error_msg: 'Invalid Heartbeat ID', heartbeat_id: beat.expected } };
      core.heartbeat(owner, now());
      return ok({ status: 'ok', heartbeat_id: beat.heartbeatId });
    }
    case 'GET /balance-allowance':
    case 'GET /balance-allowance/update': {
      const bal = core.balance(owner);
      const token = q.get('token_id');
      const amount = q.get('asset_type') === 'CONDITIONAL' && token ? (bal.positions[token] ?? 0) : bal.collateral;
      // As the V2 CLOB: one allowance per exchange contract that may spend it (all unlimited here).
      const spenders = exchangeSpenders(ctx.chainId);
      return ok({
        balance: String(Math.round(amount * 1e6)),
        allowance: MAX_UINT,
        allowances: Object.fromEntries(spenders.map((a) => [a, MAX_UINT])),
      });
    }
    case 'GET /auth/api-keys':
      return ok({ apiKeys: [ctx.creds.keyOf(owner)].filter(Boolean) });
    case 'GET /auth/ban-status/closed-only':
      return ok({ closed_only: ctx.faults.get().closedOnly });
    case 'POST /orders-scoring': {
      const ids = Array.isArray(body.orderIds) ? (body.orderIds as string[]) : [];
      return ok(Object.fromEntries(ids.map((id) => [id, core.order(id) !== undefined])));
    }
    case 'GET /order-scoring':
      return ok({ scoring: core.order(q.get('order_id') ?? '') !== undefined });
    case 'POST /sim/ctf/split':
    case 'POST /sim/ctf/merge':
    case 'POST /sim/ctf/redeem': {
      const conditionId = String(body.conditionId ?? '');
      const amount = Number(body.amount ?? 0);
      const op = req.path.slice('/sim/ctf/'.length);
      const r =
        op === 'redeem'
          ? core.redeem(owner, conditionId, now())
          : op === 'merge'
            ? core.merge(owner, conditionId, amount, now())
            : core.split(owner, conditionId, amount, now());
      return r.ok ? ok({ success: true, ...r }) : err(400, r.error ?? 'failed');
    }
    default:
      return err(404, `not found: ${req.method} ${req.path}`);
  }
}

function authRoute(ctx: RestContext, req: Req): Res | undefined {
  if (req.path !== '/auth/api-key' && req.path !== '/auth/derive-api-key') return undefined;
  const l1 = verifyL1(req.headers, ctx.chainId);
  if ('error' in l1) return err(401, l1.error);
  ctx.core.ensureAccount(l1.address);
  ctx.onAccount?.(l1.address);
  const c = ctx.creds.credsFor(l1.address, String(req.headers['poly_nonce'] ?? '0'));
  return ok({ apiKey: c.apiKey, secret: c.secret, passphrase: c.passphrase });
}

export function handleRest(ctx: RestContext, req: Req): Res {
  const fault = ctx.faults.httpFault();
  if (fault === 429) return { ...err(429, 'Too Many Requests'), headers: { 'retry-after': '1' } };
  if (fault === 500) return err(500, 'Internal Server Error (simulated fault)');
  const mode = ctx.faults.modeFault(`${req.method} ${req.path}`);
  if (mode) return err(mode.status, mode.error);
  const pub = req.method === 'GET' ? publicRoute(ctx, req) : undefined;
  if (pub) return pub;
  const auth = authRoute(ctx, req);
  if (auth) return auth;
  const l2 = verifyL2(req.headers, req.method, req.path, req.body, ctx.creds);
  if ('error' in l2) return err(401, l2.error);
  if (ctx.faults.get().authReject) return err(401, 'Unauthorized/Invalid api key');
  const res = privateRoute(ctx, req, l2.address);
  ctx.flush();
  return res;
}

export async function readRequest(req: IncomingMessage): Promise<Req> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const url = new URL(req.url ?? '/', 'http://venue');
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    body: Buffer.concat(chunks).toString('utf8'),
    headers: req.headers,
  };
}

export function sendJson(
  res: ServerResponse,
  r: { status: number; body: unknown; headers?: Record<string, string> },
): void {
  const text = JSON.stringify(r.body);
  res.writeHead(r.status, {
    ...r.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
