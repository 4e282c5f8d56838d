// The simulated venue's core: time-driven (advance(nowMs)), seeded, no I/O.
import { Exchange } from './exchange.js';
import { createMarket } from './markets.js';
import { participantAccounts, PARTICIPANT_BALANCE, Participants } from './participants.js';
import { PriceProcess, STEP_MS } from './prices.js';
import { createRng } from './rng.js';
import { scenarioParams } from './scenarios.js';
import { OracleHistory, round8 } from './settlement.js';
import { remaining, type RestingOrder } from './book.js';
import type { VBook, VenueCore, VenueEvent, VenueOptions, VMarket, VPriceSource, VTrade } from './types.js';

export const defaultVenueOptions: Omit<VenueOptions, 'startMs'> = {
  seed: 1,
  scenario: 'calm',
  intervalMs: 900_000,
  startingBalance: 10_000,
  heartbeatTimeoutMs: 15_000,
  minedDelayMs: 2_000,
  confirmedDelayMs: 4_000,
  tradeFailRate: 0,
  createAheadMs: 1_800_000,
  forgetAfterMs: 86_400_000,
  participants: true,
  scheduleOriginMs: 0,
  resolution: 'twap',
  twapLookbackS: 60,
};

/** Lower-cased account id; most callers already pass lower case, which costs no allocation. */
const lc = (s: string): string => (/[A-Z]/.test(s) ? s.toLowerCase() : s);

export function createVenueCore(partial: Partial<VenueOptions> & { startMs: number }): VenueCore {
  const opts: VenueOptions = { ...defaultVenueOptions, ...partial };
  const rng = createRng(opts.seed);
  const fixedLag =
    opts.oracleLagMs !== undefined ? { oracleLagMinMs: opts.oracleLagMs, oracleLagMaxMs: opts.oracleLagMs } : {};
  const scenario = scenarioParams(opts.scenario, { ...opts.scenarioOverrides, ...fixedLag });
  const prices = new PriceProcess(rng.fork(1), scenario, opts.startMs, opts.intervalMs, opts.scheduleOriginMs);
  const participants = opts.participants ? new Participants(rng.fork(2), scenario, opts.startMs) : undefined;
  const failRng = rng.fork(3);
  let tradeFailRate = opts.tradeFailRate;
  let resolutionDelayMs = 0;
  let events: VenueEvent[] = [];
  // Exchange events carry non-decreasing timestamps (REST calls run on wall time between the
  // simulation's steps); reference prices keep their own source timestamps.
  let lastExchangeTs = 0;
  const emit = (ev: VenueEvent): void => {
    if (ev.type === 'price') return void events.push(ev);
    lastExchangeTs = Math.max(lastExchangeTs, ev.tsMs);
    events.push(ev.tsMs === lastExchangeTs ? ev : { ...ev, tsMs: lastExchangeTs });
  };
  const markets = new Map<string, VMarket>(); // by conditionId
  const byToken = new Map<string, VMarket>();
  const bySlug = new Map<string, VMarket>();
  /** The start times of `markets` (the schedule asks at every step whether one exists). */
  const starts = new Set<number>();
  const participantSet = new Set(participantAccounts(scenario));
  const isClient = (owner: string): boolean => !participantSet.has(owner);
  const ex = new Exchange(
    opts.startingBalance,
    emit,
    (t) => byToken.get(t),
    {
      minedDelayMs: opts.minedDelayMs,
      confirmedDelayMs: opts.confirmedDelayMs,
      failDraw: () => tradeFailRate > 0 && failRng.chance(tradeFailRate),
    },
    opts.idSeqFrom ?? 0,
    isClient,
  );
  for (const owner of participantSet) ex.accounts.get(owner).collateral = PARTICIPANT_BALANCE;
  let now = opts.startMs;
  const windowMs = opts.twapLookbackS * 1000;
  const oracle = new OracleHistory(4 * windowMs + 10_000);
  let lastTwap: { value: number; tsMs: number } | undefined;

  const setMarket = (m: VMarket): void => {
    markets.set(m.conditionId, m);
    starts.add(m.startMs);
    byToken.set(m.tokenUp, m).set(m.tokenDown, m);
    bySlug.set(m.slug, m);
  };

  const bookOf = (m: VMarket, tokenId: string): VBook => {
    // A read never makes a book: one made for a closed market (the Gamma listing reads every
    // market's) would never be freed.
    const b = ex.books.get(m.conditionId);
    if (!b) return { tokenId, conditionId: m.conditionId, bids: [], asks: [], tsMs: now };
    const t = b.ticks;
    const bids = b.levels(true).map(([n, size]) => ({ price: n / t, size }));
    const asks = b.levels(false).map(([n, size]) => ({ price: n / t, size }));
    if (tokenId === m.tokenUp) return { tokenId, conditionId: m.conditionId, bids, asks, tsMs: now };
    const flip = (l: { price: number; size: number }) => ({
      price: Math.round((1 - l.price) * 1e6) / 1e6,
      size: l.size,
    });
    return { tokenId, conditionId: m.conditionId, bids: asks.map(flip), asks: bids.map(flip), tsMs: now };
  };

  // The predicate reads the resting order itself (a snapshot of every live order per call cost more
  // than the cancels). Cancelling while iterating is safe: a Map or Set iterator skips deleted
  // entries, and a cancel adds none.
  const cancelIn = (orders: Iterable<RestingOrder>, pred: (o: RestingOrder) => boolean, reason?: string): string[] => {
    const ids: string[] = [];
    for (const o of orders) {
      if (o.status === 'LIVE' && pred(o) && ex.cancel(o.id, now, reason)) ids.push(o.id);
    }
    return ids;
  };
  const cancelWhere = (pred: (o: RestingOrder) => boolean, reason?: string): string[] =>
    cancelIn(ex.orders.values(), pred, reason);
  /** One owner's orders only (makers call this each time they re-quote: no scan of everyone's). */
  const cancelOwn = (owner: string, pred: (o: RestingOrder) => boolean = () => true, reason?: string): string[] =>
    cancelIn(ex.restingOf(owner), pred, reason);

  function schedule(t: number): void {
    const origin = opts.scheduleOriginMs;
    const first = origin + Math.floor((t - origin) / opts.intervalMs) * opts.intervalMs;
    for (let start = first; start <= t + opts.createAheadMs; start += opts.intervalMs) {
      if (starts.has(start)) continue;
      const m = createMarket(opts.seed, start, opts.intervalMs, t, opts.resolution, opts.twapLookbackS);
      setMarket(m);
      emit({ type: 'marketCreated', tsMs: t, market: m });
    }
    for (const m of markets.values()) {
      if (m.status === 'scheduled' && t >= m.startMs) {
        setMarket({ ...m, status: 'open' });
        emit({ type: 'marketStatus', tsMs: t, market: markets.get(m.conditionId)! });
        for (const tok of [m.tokenUp, m.tokenDown]) emit({ type: 'book', tsMs: t, book: bookOf(m, tok) });
      } else if (m.status === 'open' && t >= m.endMs) {
        setMarket({ ...m, status: 'closed' });
        cancelWhere((o) => o.conditionId === m.conditionId, 'market closed');
        // Its book now holds only cancelled orders, removed lazily (up to half a level's queue):
        // free it with them, or every market of a long run keeps thousands (~0.5 MB a market).
        ex.books.delete(m.conditionId);
        emit({ type: 'marketStatus', tsMs: t, market: markets.get(m.conditionId)! });
      } else if (
        m.status === 'closed' &&
        m.oracleStart !== undefined &&
        m.oracleEnd !== undefined &&
        resolutionDelayMs >= 0 &&
        t >= m.endMs + resolutionDelayMs
      ) {
        const resolved: VMarket = { ...m, status: 'resolved', winner: m.oracleEnd >= m.oracleStart ? 'Up' : 'Down' };
        setMarket(resolved);
        emit({ type: 'marketResolved', tsMs: t, market: resolved });
      }
    }
    // Keep memory bounded: forget resolved markets a day old (every lookup of them with them).
    for (const m of markets.values())
      if (m.status === 'resolved' && t - m.endMs > opts.forgetAfterMs) {
        markets.delete(m.conditionId);
        ex.books.delete(m.conditionId);
        starts.delete(m.startMs);
        byToken.delete(m.tokenUp);
        byToken.delete(m.tokenDown);
        bySlug.delete(m.slug);
      }
  }

  /** The price at a boundary by the market's rule, fixed at the first Chainlink tick at or after it. */
  const boundaryPrice = (m: VMarket, b: number, value: number): number =>
    m.resolution === 'first-tick' ? value : round8(oracle.twapAt(b, m.twapLookbackS * 1000) ?? value);

  function onOracleTick(value: number, tsMs: number): void {
    oracle.add(tsMs, value);
    for (const m of markets.values()) {
      if (m.oracleStart === undefined && tsMs >= m.startMs)
        setMarket({ ...m, oracleStart: boundaryPrice(m, m.startMs, value) });
      const cur = markets.get(m.conditionId)!;
      if (cur.oracleEnd === undefined && tsMs >= cur.endMs)
        setMarket({ ...cur, oracleEnd: boundaryPrice(cur, cur.endMs, value) });
    }
  }

  /** The TWAP stream: the trailing average at each Chainlink tick (published beside it). */
  function twapTick(tsMs: number): VenueEvent | undefined {
    const twap = oracle.twapAt(tsMs, windowMs);
    if (twap === undefined) return undefined;
    lastTwap = { value: round8(twap), tsMs };
    return { type: 'price', tsMs, source: 'chainlink-twap', symbol: 'btc/usd', value: lastTwap.value };
  }

  const world = {
    openMarkets: () => [...markets.values()].filter((m) => m.status === 'open'),
    upcomingMarkets: () => [...markets.values()].filter((m) => m.status === 'scheduled'),
    fastPrice: () => prices.fastPrice(),
    fastPriceAt: (tsMs: number) => prices.fastPriceAt(tsMs),
    twapSoFar: (m: VMarket, nowMs: number) => {
      const opened = m.endMs - m.twapLookbackS * 1000;
      return m.resolution === 'twap' && nowMs > opened ? oracle.twapAt(nowMs, nowMs - opened) : undefined;
    },
    book: (tokenId: string) => core.book(tokenId),
    place: (req: Parameters<VenueCore['placeOrder']>[0]) => void ex.place(req, now),
    cancelMarket: (owner: string, conditionId: string) => void cancelOwn(owner, (o) => o.conditionId === conditionId),
    shares: (owner: string, tokenId: string) => ex.accounts.freeShares(owner, tokenId),
    merge: (owner: string, conditionId: string, sets: number) => void core.merge(owner, conditionId, sets, now),
  };

  /** How often the dead-man switch fired, per account. */
  const deadman = new Map<string, number>();

  function stepTo(t: number): void {
    now = t;
    schedule(t);
    ex.expire(t);
    for (const owner of ex.accounts.owners()) {
      const acc = ex.accounts.get(owner);
      if (acc.lastHeartbeatMs !== undefined && t - acc.lastHeartbeatMs > opts.heartbeatTimeoutMs) {
        acc.lastHeartbeatMs = undefined;
        deadman.set(owner, (deadman.get(owner) ?? 0) + 1);
        cancelOwn(owner, undefined, 'heartbeat timeout');
      }
    }
    ex.advanceTrades(t);
    participants?.act(t, world);
  }

  const core: VenueCore = {
    advance(nowMs) {
      while (prices.now() + STEP_MS <= nowMs) {
        for (const tick of prices.step()) {
          if (tick.source === 'chainlink') onOracleTick(tick.value, tick.tsMs);
          emit({ type: 'price', tsMs: tick.tsMs, source: tick.source, symbol: tick.symbol, value: tick.value });
          const twap = tick.source === 'chainlink' ? twapTick(tick.tsMs) : undefined;
          if (twap) emit(twap);
        }
        stepTo(prices.now());
      }
      if (nowMs > now) stepTo(nowMs);
    },
    drainEvents() {
      const out = events;
      events = [];
      return out;
    },
    markets: () => [...markets.values()],
    marketBySlug: (slug) => bySlug.get(slug),
    marketByToken: (tokenId) => byToken.get(tokenId),
    marketByCondition: (id) => markets.get(id),
    book(tokenId) {
      const m = byToken.get(tokenId);
      return m ? bookOf(m, tokenId) : undefined;
    },
    ensureAccount: (owner) => void ex.accounts.get(lc(owner)),
    placeOrder: (req, nowMs) =>
      ex.place(req.owner === lc(req.owner) ? req : { ...req, owner: lc(req.owner) }, Math.max(now, nowMs)),
    cancelOrder(owner, orderId, nowMs) {
      const o = ex.orders.get(orderId);
      if (!o || o.owner !== lc(owner)) return { canceled: false, reason: 'order not found or already canceled' };
      now = Math.max(now, nowMs);
      return { canceled: ex.cancel(orderId, now) };
    },
    cancelAll: (owner, nowMs) => ((now = Math.max(now, nowMs)), { canceled: cancelOwn(lc(owner)) }),
    cancelMarket(owner, f, nowMs) {
      now = Math.max(now, nowMs);
      return {
        canceled: cancelOwn(
          lc(owner),
          (o) => (!f.conditionId || o.conditionId === f.conditionId) && (!f.tokenId || o.tokenId === f.tokenId),
        ),
      };
    },
    openOrders(owner, f = {}) {
      return [...ex.restingOf(lc(owner))]
        .filter((o) => o.status === 'LIVE' && remaining(o) > 0)
        .filter(
          (o) =>
            (!f.conditionId || o.conditionId === f.conditionId) &&
            (!f.tokenId || o.tokenId === f.tokenId) &&
            (!f.orderId || o.id === f.orderId),
        )
        .map((o) => ex.toVOrder(o));
    },
    order: (id) => {
      const o = ex.orders.get(id);
      return o ? ex.toVOrder(o) : undefined;
    },
    trades(owner, f = {}): readonly VTrade[] {
      return ex
        .tradesOf(lc(owner))
        .filter(
          (t) =>
            (!f.conditionId || t.conditionId === f.conditionId) &&
            (!f.tokenId || t.tokenId === f.tokenId || t.makers.some((x) => x.tokenId === f.tokenId)) &&
            (!f.afterMs || t.matchMs > f.afterMs),
        );
    },
    heartbeat(owner, nowMs) {
      ex.accounts.get(lc(owner)).lastHeartbeatMs = nowMs;
    },
    balance(owner) {
      const a = ex.accounts.get(lc(owner));
      return { collateral: a.collateral - a.reservedCollateral, positions: Object.fromEntries(a.positions) };
    },
    split(owner, conditionId, amount, _nowMs) {
      const m = markets.get(conditionId);
      const o = lc(owner);
      if (!m) return { ok: false, error: 'unknown condition' };
      if (!(amount > 0) || ex.accounts.freeCollateral(o) < amount) return { ok: false, error: ERR_BALANCE };
      ex.accounts.apply({ owner: o, collateral: -amount });
      ex.accounts.apply({ owner: o, collateral: 0, tokenId: m.tokenUp, shares: amount });
      ex.accounts.apply({ owner: o, collateral: 0, tokenId: m.tokenDown, shares: amount });
      return { ok: true };
    },
    merge(owner, conditionId, amount, _nowMs) {
      const m = markets.get(conditionId);
      const o = lc(owner);
      if (!m) return { ok: false, error: 'unknown condition' };
      const free = Math.min(ex.accounts.freeShares(o, m.tokenUp), ex.accounts.freeShares(o, m.tokenDown));
      if (!(amount > 0) || free + 1e-9 < amount) return { ok: false, error: 'not enough full sets to merge' };
      ex.accounts.apply({ owner: o, collateral: amount, tokenId: m.tokenUp, shares: -amount });
      ex.accounts.apply({ owner: o, collateral: 0, tokenId: m.tokenDown, shares: -amount });
      return { ok: true };
    },
    redeem(owner, conditionId, _nowMs) {
      const m = markets.get(conditionId);
      const o = lc(owner);
      if (!m) return { ok: false, payout: 0, error: 'unknown condition' };
      if (m.status !== 'resolved' || !m.winner) return { ok: false, payout: 0, error: 'condition not resolved' };
      const win = m.winner === 'Up' ? m.tokenUp : m.tokenDown;
      const lose = m.winner === 'Up' ? m.tokenDown : m.tokenUp;
      const payout = ex.accounts.shares(o, win);
      ex.accounts.apply({ owner: o, collateral: payout, tokenId: win, shares: -payout });
      ex.accounts.apply({ owner: o, collateral: 0, tokenId: lose, shares: -ex.accounts.shares(o, lose) });
      return { ok: true, payout };
    },
    persisted() {
      const { seq, orders, trades } = ex.persisted(isClient);
      return {
        seq,
        accounts: [...ex.accounts.owners()].filter(isClient).map((o) => ex.accounts.persisted(o)),
        orders,
        trades,
      };
    },
    restore(p, nowMs) {
      for (const a of p.accounts) if (isClient(a.owner)) ex.accounts.restore(a);
      const dropped = ex.restore(
        { seq: p.seq, orders: p.orders.filter((o) => isClient(o.owner)), trades: p.trades },
        Math.max(now, nowMs),
      );
      return { restored: p.orders.length - dropped.length, dropped };
    },
    lastPrice: (source: VPriceSource) => (source === 'chainlink-twap' ? lastTwap : prices.lastPrice(source)),
    setTradeFailRate(p: number) {
      tradeFailRate = Math.min(1, Math.max(0, p));
    },
    setResolutionDelay(ms: number) {
      resolutionDelayMs = ms;
    },
    deadmanFired: (owner: string) => deadman.get(lc(owner)) ?? 0,
    held: () => ({
      markets: markets.size,
      books: ex.books.size,
      restingOrders: ex.orders.size,
      lookups: byToken.size + bySlug.size,
    }),
  };
  core.advance(opts.startMs);
  return core;
}

const ERR_BALANCE = 'not enough balance / allowance';
