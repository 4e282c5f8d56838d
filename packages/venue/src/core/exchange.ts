// The matching engine of one venue: price-time priority over both tokens of each binary market,
// GTC/GTD/FOK/FAK, post-only, tick and size checks, balances, taker fees and maker rebates.
import { Accounts, type LedgerEntry } from './accounts.js';
import { remaining, UnifiedBook, type RestingOrder } from './book.js';
import { acceptsOrders } from './markets.js';
import type {
  VenueEvent,
  VMakerFill,
  VMarket,
  VOrder,
  VOrderRequest,
  VOutcome,
  VPlaceResult,
  VTrade,
} from './types.js';

const EPS = 1e-9;
/** A marketable BUY's least spend (USDC). */
const MIN_SPEND_USDC = 1;
/** Trades per client account a restart keeps (the latest; enough to reconcile a market's fills). */
const PERSISTED_TRADES = 500;
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
/** The price of level `n` (in Up ticks, of `ticks`) for an order of `outcome`. */
const priceAt = (outcome: VOutcome, n: number, ticks: number): number =>
  r6(outcome === 'Up' ? n / ticks : 1 - n / ticks);

/**
 * Trades the venue keeps, of the accounts whose trades can be read (`keepsTrades`: API clients, not
 * the simulated participants), the oldest dropped in chunks: hours of a client's fills (what a
 * reconcile reads; a market maker has ~60 a fifteen-minute market). The participants' trades among
 * themselves were kept too and were the largest thing a backtest held (10,000 trades: ~11 MB of a
 * ~32 MB live heap) though no one could read them.
 */
const TRADES_KEPT = 2_000;
/** Trade ids kept per account (the latest; trimmed in chunks so recording stays O(1) amortised). */
const TRADE_IDS_PER_OWNER = 5_000;

export const ERR = {
  postOnlyCross: 'invalid post-only order: order crosses book',
  tick: (tick: number) => `order price breaks minimum tick size rule: ${tick}`,
  range: (tick: number) => `price must be between ${tick} and ${r6(1 - tick)}`,
  minSize: (min: number) => `Size lower than the minimum: ${min}`,
  balance: 'not enough balance / allowance',
  closed: 'market not open for trading',
  fok: "order couldn't be fully filled. FOK orders are fully filled or killed.",
  fakEmpty: 'no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found.',
  unknownToken: 'invalid token id',
  postOnlyType: 'invalid post-only order: only GTC and GTD orders may be post-only',
  minSpend: (spend: number) => `invalid amount for a marketable BUY order ($${spend}), min size: $${MIN_SPEND_USDC}`,
} as const;

export function feePerShare(m: VMarket, price: number): number {
  const pq = price * (1 - price);
  return pq > 0 ? m.feeSchedule.rate * Math.pow(pq, m.feeSchedule.exponent) : 0;
}

interface PendingTrade {
  trade: VTrade;
  ledger: LedgerEntry[];
  minedAt: number;
  confirmedAt: number;
  fails: boolean;
}

/** The counter behind an id this venue minted (`nextId`); undefined for any other id (an order hash). */
function mintedSeq(id: string): number | undefined {
  const m = /^0x[ab]([0-9a-f]{1,63})$/.exec(id);
  const n = m ? parseInt(m[1]!, 16) : Number.NaN;
  // Minted ids count up from 1; a 64-digit order hash that happens to start with a or b is far
  // beyond any counter (and beyond exact integers).
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * Where a venue restored from `p` continues its id sequence: after the saved counter and after every
 * minted id it kept, so no order or trade id is ever minted twice (a client that saw an id before the
 * restart must never meet it again on another order or trade).
 */
export function idSeqFrom(p: {
  readonly seq: number;
  readonly orders: readonly { readonly id: string }[];
  readonly trades: readonly { readonly id: string }[];
}): number {
  let seq = Number.isSafeInteger(p.seq) && p.seq > 0 ? p.seq : 0;
  for (const { id } of [...p.orders, ...p.trades]) seq = Math.max(seq, mintedSeq(id) ?? 0);
  return seq;
}

export class Exchange {
  readonly accounts: Accounts;
  readonly books = new Map<string, UnifiedBook>();
  readonly orders = new Map<string, RestingOrder>();
  /** The same resting orders by owner, in the order they came (makers cancel their own at each re-quote). */
  private readonly byOwner = new Map<string, Set<RestingOrder>>();
  /** Resting orders with an expiry (GTD), so expiring them does not scan every order. */
  private readonly expiring = new Set<RestingOrder>();
  readonly trades = new Map<string, VTrade>();
  private readonly tradeIdsByOwner = new Map<string, string[]>();
  readonly pending: PendingTrade[] = [];
  private seq: number;

  constructor(
    startingBalance: number,
    private readonly emit: (ev: VenueEvent) => void,
    private readonly marketOf: (tokenId: string) => VMarket | undefined,
    private readonly lifecycle: { minedDelayMs: number; confirmedDelayMs: number; failDraw: () => boolean },
    /** Ids minted start after this one: a venue restored from its store continues its sequence. */
    seqFrom = 0,
    /** Whose trades are kept for reading back (`tradesOf`): a trade is kept when one of its owners is. */
    private readonly keepsTrades: (owner: string) => boolean = () => true,
  ) {
    this.accounts = new Accounts(startingBalance);
    this.seq = seqFrom;
  }

  /** An owner's resting orders, oldest first (a live view: cancelling while iterating is safe). */
  restingOf(owner: string): Iterable<RestingOrder> {
    return this.byOwner.get(owner) ?? [];
  }

  private rest(o: RestingOrder): void {
    this.orders.set(o.id, o);
    const mine = this.byOwner.get(o.owner);
    if (mine) mine.add(o);
    else this.byOwner.set(o.owner, new Set([o]));
  }

  private unrest(o: RestingOrder): void {
    this.orders.delete(o.id);
    // An emptied set stays for the owner's next order (owners are the few participants and clients).
    this.byOwner.get(o.owner)?.delete(o);
  }

  book(m: VMarket): UnifiedBook {
    let b = this.books.get(m.conditionId);
    if (!b) {
      b = new UnifiedBook(Math.round(1 / m.tickSize));
      this.books.set(m.conditionId, b);
    }
    return b;
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    // Joined, not concatenated: one flat string, where `+` would keep a rope of ~5 parts for as long
    // as the id lives (every resting order, trade and the bot's own order ids: ~2 MB a backtest).
    return ['0x', prefix, this.seq.toString(16).padStart(62 - prefix.length, '0')].join('');
  }

  private reject(errorMsg: string, orderId = ''): VPlaceResult {
    return { success: false, orderId, status: '', errorMsg, makingAmount: '', takingAmount: '', tradeIds: [] };
  }

  place(req: VOrderRequest, nowMs: number): VPlaceResult {
    const m = this.marketOf(req.tokenId);
    if (!m) return this.reject(ERR.unknownToken);
    if (!acceptsOrders(m)) return this.reject(ERR.closed);
    const tick = m.tickSize;
    const ticks = Math.round(1 / tick);
    const priceTicks = Math.round(req.price / tick);
    if (Math.abs(req.price / tick - priceTicks) > 1e-6) return this.reject(ERR.tick(tick));
    if (priceTicks < 1 || priceTicks > ticks - 1) return this.reject(ERR.range(tick));
    const spend = req.side === 'BUY' && req.orderType !== 'GTC' && req.orderType !== 'GTD' ? req.spendUsdc : undefined;
    // Not a number fails too.
    if (spend !== undefined && !(spend >= MIN_SPEND_USDC - EPS)) return this.reject(ERR.minSpend(spend));
    if (!(req.size >= m.minSize - EPS)) return this.reject(ERR.minSize(m.minSize));
    if (req.postOnly && (req.orderType === 'FOK' || req.orderType === 'FAK')) return this.reject(ERR.postOnlyType);
    const outcome = req.tokenId === m.tokenUp ? 'Up' : 'Down';
    const isBid = (outcome === 'Up') === (req.side === 'BUY');
    const upTicks = outcome === 'Up' ? priceTicks : ticks - priceTicks;
    const book = this.book(m);
    const acc = this.accounts;
    if (req.side === 'BUY') {
      // The fee is per share; a spend's grows with the shares cheaper asks give it, up to rate x spend
      // (exponents >= 1).
      const cost =
        spend !== undefined
          ? spend * (1 + m.feeSchedule.rate)
          : req.size * (req.price + (req.postOnly ? 0 : feePerShare(m, req.price)));
      if (acc.freeCollateral(req.owner) + EPS < cost) return this.reject(ERR.balance);
    } else if (acc.freeShares(req.owner, req.tokenId) + EPS < req.size) return this.reject(ERR.balance);

    const crossAvail = book.available(isBid, upTicks);
    if (req.postOnly && crossAvail > EPS) return this.reject(ERR.postOnlyCross);
    // A marketable BUY spends its USDC: the shares that buys at the book now (all of it, or a FOK is killed).
    const bought =
      spend === undefined ? undefined : book.buyWith(isBid, upTicks, spend, (n) => priceAt(outcome, n, ticks));
    const size = bought && bought.shares > EPS ? Math.floor(bought.shares * 1e6) / 1e6 : req.size;
    const id = req.orderId ?? this.nextId('a');
    if (req.orderType === 'FOK' && (crossAvail + EPS < size || (bought?.unspent ?? 0) > 1e-6)) {
      this.emit({
        type: 'order',
        tsMs: nowMs,
        change: 'CANCELLATION',
        order: this.snapshotOf({ id, req, m, outcome, matched: 0, status: 'CANCELED', nowMs }),
        reason: ERR.fok,
      });
      return { ...this.reject(ERR.fok, id), status: 'unmatched' };
    }
    const taker: RestingOrder = {
      id,
      owner: req.owner,
      conditionId: m.conditionId,
      tokenId: req.tokenId,
      outcome,
      side: req.side,
      price: priceTicks * tick,
      upTicks,
      isBid,
      originalSize: size,
      sizeMatched: 0,
      orderType: req.orderType,
      status: 'LIVE',
      createdMs: nowMs,
      expirationS: req.expirationS,
    };
    const trade = crossAvail > EPS ? this.match(m, book, taker, nowMs) : undefined;
    const left = remaining(taker);
    let status: VPlaceResult['status'] = left <= EPS ? 'matched' : 'live';
    if (left > EPS && (req.orderType === 'FAK' || req.orderType === 'FOK')) {
      taker.status = 'CANCELED';
      status = trade ? 'matched' : 'unmatched';
      if (!trade) {
        this.emit({
          type: 'order',
          tsMs: nowMs,
          change: 'CANCELLATION',
          order: this.toVOrder(taker),
          reason: ERR.fakEmpty,
        });
        return { ...this.reject(ERR.fakEmpty, id), status: 'unmatched' };
      }
    } else if (left > EPS) {
      this.rest(taker);
      if (taker.expirationS > 0) this.expiring.add(taker);
      book.add(taker);
      if (req.side === 'BUY') acc.reserveCollateral(req.owner, taker.price * left);
      else acc.reserveShares(req.owner, req.tokenId, left);
      this.emit({ type: 'order', tsMs: nowMs, change: 'PLACEMENT', order: this.toVOrder(taker) });
    } else taker.status = 'MATCHED';
    if (trade && status !== 'live')
      this.emit({ type: 'order', tsMs: nowMs, change: 'UPDATE', order: this.toVOrder(taker) });
    this.flushBook(m, nowMs);
    const filled = taker.sizeMatched;
    // The collateral that changed hands at the makers' prices (a marketable BUY's spend, not the cap's).
    const settled = r6(
      (trade?.makers ?? []).reduce(
        (sum, mk) => sum + mk.matchedAmount * (mk.outcome === outcome ? mk.price : 1 - mk.price),
        0,
      ),
    );
    const making = req.side === 'BUY' ? settled : filled;
    const taking = req.side === 'BUY' ? filled : settled;
    return {
      success: true,
      orderId: id,
      status,
      errorMsg: '',
      makingAmount: String(making),
      takingAmount: String(taking),
      tradeIds: trade ? [trade.id] : [],
    };
  }

  private match(m: VMarket, book: UnifiedBook, taker: RestingOrder, nowMs: number): VTrade | undefined {
    const ledger: LedgerEntry[] = [];
    const makers: VMakerFill[] = [];
    const ticks = book.ticks;
    let lastPrice = taker.price;
    let fee = 0;
    const levels = taker.isBid ? book.asks : book.bids;
    for (let k = 0; k < ticks && remaining(taker) > EPS; k++) {
      const n = taker.isBid ? 1 + k : ticks - 1 - k;
      if (n < 1 || n >= ticks) break;
      if (taker.isBid ? n > taker.upTicks : n < taker.upTicks) break;
      const queue = levels[n]!;
      while (queue.length && remaining(taker) > EPS) {
        const maker = queue[0]!;
        if (maker.status !== 'LIVE') {
          // Cancelled earlier (removed lazily from the queue).
          queue.shift();
          book.dropDead(maker.isBid, n);
          continue;
        }
        const size = Math.min(remaining(taker), remaining(maker));
        const own = (o: RestingOrder): number => priceAt(o.outcome, n, ticks);
        this.settle(maker, size, own(maker), ledger, true);
        this.settle(taker, size, own(taker), ledger, false);
        const f = r6(size * feePerShare(m, own(taker)));
        fee += f;
        makers.push({
          orderId: maker.id,
          owner: maker.owner,
          tokenId: maker.tokenId,
          outcome: maker.outcome,
          side: maker.side,
          price: own(maker),
          matchedAmount: size,
        });
        lastPrice = own(taker);
        book.resize(maker.isBid, n, -size);
        if (remaining(maker) <= EPS) {
          maker.status = 'MATCHED';
          queue.shift();
          this.unrest(maker);
          this.expiring.delete(maker);
        }
        this.emit({ type: 'order', tsMs: nowMs, change: 'UPDATE', order: this.toVOrder(maker) });
      }
    }
    if (!makers.length) return undefined;
    const size = r6(makers.reduce((s, x) => s + x.matchedAmount, 0));
    if (fee > 0) {
      ledger.push({ owner: taker.owner, collateral: -fee });
      this.accounts.apply({ owner: taker.owner, collateral: -fee });
      for (const mk of makers) {
        const rebate = r6((fee * m.feeSchedule.rebateRate * mk.matchedAmount) / size);
        ledger.push({ owner: mk.owner, collateral: rebate });
        this.accounts.apply({ owner: mk.owner, collateral: rebate });
        this.accounts.get(mk.owner).rebates += rebate;
      }
    }
    const trade: VTrade = {
      id: this.nextId('b'),
      conditionId: m.conditionId,
      takerOrderId: taker.id,
      takerOwner: taker.owner,
      tokenId: taker.tokenId,
      outcome: taker.outcome,
      side: taker.side,
      price: lastPrice,
      size,
      feeRateBps: Math.round(m.feeSchedule.rate * 10_000),
      feeUsdc: r6(fee),
      makers,
      status: 'MATCHED',
      matchMs: nowMs,
      lastUpdateMs: nowMs,
    };
    this.record(trade);
    this.pending.push({
      trade,
      ledger,
      minedAt: nowMs + this.lifecycle.minedDelayMs,
      confirmedAt: nowMs + this.lifecycle.minedDelayMs + this.lifecycle.confirmedDelayMs,
      fails: this.lifecycle.failDraw(),
    });
    this.emit({
      type: 'lastTrade',
      tsMs: nowMs,
      conditionId: m.conditionId,
      tokenId: taker.tokenId,
      price: lastPrice,
      size,
      side: taker.side,
      feeRateBps: trade.feeRateBps,
    });
    this.emit({ type: 'trade', tsMs: nowMs, trade });
    return trade;
  }

  /** Move collateral and shares for one side of a fill; `resting` releases its reservation. */
  private settle(o: RestingOrder, size: number, price: number, ledger: LedgerEntry[], resting: boolean): void {
    o.sizeMatched = r6(o.sizeMatched + size);
    const acc = this.accounts;
    if (o.side === 'BUY') {
      if (resting) acc.reserveCollateral(o.owner, -o.price * size);
      const e = { owner: o.owner, collateral: -r6(price * size), tokenId: o.tokenId, shares: size };
      acc.apply(e);
      ledger.push(e);
    } else {
      if (resting) acc.reserveShares(o.owner, o.tokenId, -size);
      const e = { owner: o.owner, collateral: r6(price * size), tokenId: o.tokenId, shares: -size };
      acc.apply(e);
      ledger.push(e);
    }
  }

  private record(trade: VTrade): void {
    const owners: string[] = [trade.takerOwner];
    for (const mk of trade.makers) if (!owners.includes(mk.owner)) owners.push(mk.owner);
    if (!owners.some(this.keepsTrades)) return;
    this.trades.set(trade.id, trade);
    for (const owner of owners) {
      let ids = this.tradeIdsByOwner.get(owner);
      if (!ids) this.tradeIdsByOwner.set(owner, (ids = []));
      ids.push(trade.id);
      if (ids.length > TRADE_IDS_PER_OWNER * 1.2) ids.splice(0, ids.length - TRADE_IDS_PER_OWNER);
    }
    // Bound the store too (Maps iterate in insertion order: the first key is the oldest).
    if (this.trades.size <= TRADES_KEPT) return;
    for (const old of [...this.trades.keys()].slice(0, TRADES_KEPT / 5)) this.trades.delete(old);
    // Each owner's ids are in trade order, so the dropped trades' ids lead its list: drop them too
    // (an owner trading rarely kept thousands of ids of trades long gone, all day).
    for (const [owner, ids] of this.tradeIdsByOwner) {
      let k = 0;
      while (k < ids.length && !this.trades.has(ids[k]!)) k++;
      if (k === ids.length) this.tradeIdsByOwner.delete(owner);
      else if (k > 0) ids.splice(0, k);
    }
  }

  tradesOf(owner: string): VTrade[] {
    return (this.tradeIdsByOwner.get(owner) ?? []).flatMap((id) => this.trades.get(id) ?? []);
  }

  /**
   * Advance trade lifecycles as the live venue reports them: MATCHED -> MINED -> CONFIRMED, or for a
   * trade that fails on chain MATCHED -> RETRYING -> FAILED (balances reversed at FAILED).
   */
  advanceTrades(nowMs: number): void {
    // Walk from a head index (Array.shift is O(n)); drop the done prefix in one splice.
    let head = 0;
    while (head < this.pending.length && this.pending[head]!.minedAt <= nowMs) {
      const p = this.pending[head]!;
      if (p.trade.status === 'MATCHED') this.update(p, p.fails ? 'RETRYING' : 'MINED', p.minedAt);
      if (p.confirmedAt > nowMs) break;
      if (p.fails) this.accounts.reverse(p.ledger);
      this.update(p, p.fails ? 'FAILED' : 'CONFIRMED', p.confirmedAt);
      head += 1;
    }
    if (head > 0) this.pending.splice(0, head);
  }

  private update(p: PendingTrade, status: VTrade['status'], tsMs: number): void {
    p.trade = { ...p.trade, status, lastUpdateMs: tsMs };
    if (this.trades.has(p.trade.id)) this.trades.set(p.trade.id, p.trade);
    this.emit({ type: 'trade', tsMs, trade: p.trade });
  }

  cancel(orderId: string, nowMs: number, reason?: string): boolean {
    const o = this.orders.get(orderId);
    if (!o || o.status !== 'LIVE') return false;
    const m = this.marketOf(o.tokenId)!;
    this.book(m).remove(o);
    this.unrest(o);
    this.expiring.delete(o);
    o.status = 'CANCELED';
    const left = remaining(o);
    if (o.side === 'BUY') this.accounts.reserveCollateral(o.owner, -o.price * left);
    else this.accounts.reserveShares(o.owner, o.tokenId, -left);
    this.emit({
      type: 'order',
      tsMs: nowMs,
      change: 'CANCELLATION',
      order: this.toVOrder(o),
      ...(reason ? { reason } : {}),
    });
    this.flushBook(m, nowMs);
    return true;
  }

  /** Cancel GTD orders whose expiry has passed. */
  expire(nowMs: number): void {
    if (this.expiring.size === 0) return;
    for (const o of [...this.expiring]) if (o.expirationS * 1000 <= nowMs) this.cancel(o.id, nowMs, 'order expired');
  }

  /** Emit one priceChange with the touched levels, in both tokens' terms. */
  flushBook(m: VMarket, nowMs: number): void {
    const book = this.book(m);
    if (book.touchedCount === 0) return;
    const ticks = book.ticks;
    const bb = book.bestBid();
    const ba = book.bestAsk();
    const upBid = bb !== undefined ? bb / ticks : undefined;
    const upAsk = ba !== undefined ? ba / ticks : undefined;
    const downBid = ba !== undefined ? r6(1 - ba / ticks) : undefined;
    const downAsk = bb !== undefined ? r6(1 - bb / ticks) : undefined;
    const changes: Extract<VenueEvent, { type: 'priceChange' }>['changes'][number][] = [];
    for (const key of book.drainTouched()) {
      const isBid = key > 0;
      const n = Math.abs(key);
      const size = book.levelSize(isBid, n);
      changes.push({
        tokenId: m.tokenUp,
        side: isBid ? 'BUY' : 'SELL',
        price: n / ticks,
        size,
        bestBid: upBid,
        bestAsk: upAsk,
      });
      changes.push({
        tokenId: m.tokenDown,
        side: isBid ? 'SELL' : 'BUY',
        price: r6(1 - n / ticks),
        size,
        bestBid: downBid,
        bestAsk: downAsk,
      });
    }
    this.emit({ type: 'priceChange', tsMs: nowMs, conditionId: m.conditionId, changes });
  }

  toVOrder(o: RestingOrder): VOrder {
    return {
      id: o.id,
      owner: o.owner,
      conditionId: o.conditionId,
      tokenId: o.tokenId,
      outcome: o.outcome,
      side: o.side,
      price: o.price,
      originalSize: o.originalSize,
      sizeMatched: o.sizeMatched,
      orderType: o.orderType,
      status: o.status,
      createdMs: o.createdMs,
      expirationS: o.expirationS,
    };
  }

  /** What a venue restart keeps of the given owners: resting orders, recorded trades, and the id counter (no id is reused). */
  persisted(keep: (owner: string) => boolean): { seq: number; orders: VOrder[]; trades: VTrade[] } {
    const orders = [...this.orders.values()]
      .filter((o) => o.status === 'LIVE' && keep(o.owner))
      .map((o) => this.toVOrder(o));
    const trades = new Map<string, VTrade>();
    for (const owner of [...this.accounts.owners()].filter(keep))
      for (const t of this.tradesOf(owner).slice(-PERSISTED_TRADES)) trades.set(t.id, t);
    return { seq: this.seq, orders, trades: [...trades.values()].sort((a, b) => a.matchMs - b.matchMs) };
  }

  /**
   * Put persisted orders and trades back after a restart (accounts restored first, reservations at 0).
   * An order rests again unless its market is gone or closed, or it would now cross the book; those
   * are returned (the venue cancelled them while it was down). Trades still settling count as confirmed.
   */
  restore(p: { seq: number; orders: readonly VOrder[]; trades: readonly VTrade[] }, nowMs: number): string[] {
    this.seq = Math.max(this.seq, idSeqFrom(p));
    for (const t of p.trades)
      this.record(
        t.status === 'FAILED' || t.status === 'CONFIRMED' ? t : { ...t, status: 'CONFIRMED', lastUpdateMs: nowMs },
      );
    const dropped: string[] = [];
    for (const o of p.orders) {
      const m = this.marketOf(o.tokenId);
      const ticks = m ? Math.round(1 / m.tickSize) : 0;
      const priceTicks = m ? Math.round(o.price / m.tickSize) : 0;
      const upTicks = o.outcome === 'Up' ? priceTicks : ticks - priceTicks;
      const isBid = (o.outcome === 'Up') === (o.side === 'BUY');
      if (!m || !acceptsOrders(m) || this.orders.has(o.id) || this.book(m).available(isBid, upTicks) > EPS) {
        dropped.push(o.id);
        continue;
      }
      const resting: RestingOrder = { ...o, status: 'LIVE', upTicks, isBid };
      this.rest(resting);
      if (resting.expirationS > 0) this.expiring.add(resting);
      this.book(m).add(resting);
      if (o.side === 'BUY') this.accounts.reserveCollateral(o.owner, o.price * remaining(resting));
      else this.accounts.reserveShares(o.owner, o.tokenId, remaining(resting));
      this.flushBook(m, nowMs);
    }
    return dropped;
  }

  private snapshotOf(a: {
    id: string;
    req: VOrderRequest;
    m: VMarket;
    outcome: 'Up' | 'Down';
    matched: number;
    status: VOrder['status'];
    nowMs: number;
  }): VOrder {
    return {
      id: a.id,
      owner: a.req.owner,
      conditionId: a.m.conditionId,
      tokenId: a.req.tokenId,
      outcome: a.outcome,
      side: a.req.side,
      price: a.req.price,
      originalSize: a.req.size,
      sizeMatched: a.matched,
      orderType: a.req.orderType,
      status: a.status,
      createdMs: a.nowMs,
      expirationS: a.req.expirationS,
    };
  }
}
