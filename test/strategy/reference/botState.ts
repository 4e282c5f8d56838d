// REFERENCE (tests only): src/state/botState.ts as of commit 0bc3ee2, before bounded retention.
// The bot's view of the world as one pure reducer over input events: per-market books, our live
// orders, inventory and S0; global reference prices, EWMA volatility and feed health.
// No clock of its own: time is the latest event's timestamp (clock ticks included).
import type { Book, Feed, InputEvent, LiveOrder, MarketIdentity, PriceTick } from '../../../src/domain/index.js';
import { EMPTY_INVENTORY, midOf, outcomeOf, resolutionOf, type Inventory } from '../../../src/domain/index.js';
import {
  applyFill,
  avgCost,
  ewmaInit,
  basisUpdate,
  ewmaUpdate,
  fillFeeUsdc,
  markToMarket,
  unpairedShares,
  type Basis,
  type EwmaState,
  type JumpParams,
  type PricePoint,
} from '../../../src/quant/index.js';
import {
  settle,
  type PriceSourceOfRecord,
  type Settlement,
  type SettlementParams,
} from '../../../src/state/settlement.js';

export interface MarketState {
  readonly market: MarketIdentity;
  readonly bookUp?: Book;
  readonly bookDown?: Book;
  /** Tick size in force (the market's, updated by tick_size_change). */
  readonly tickSize: number;
  /** Our orders believed live, by order id. */
  readonly orders: ReadonlyMap<string, LiveOrder>;
  /** Our orders known cancelled or filled: a late, duplicated or reordered event cannot revive them. */
  readonly closedOrders: ReadonlySet<string>;
  readonly inventory: Inventory;
  /** Price to beat (settlement price at the interval start by the market's rule), once known. */
  readonly s0?: number;
  readonly s0Source?: PriceSourceOfRecord;
  /** The start passed without our seeing the ticks that fix S0 (joined late, or a feed gap). */
  readonly s0Missed: boolean;
  /** Price to beat, final price and winner by the market's resolution rule (src/state/settlement.ts). */
  readonly settlement: Settlement;
  /** Since when inventory has been unpaired by at least one share. */
  readonly unpairedSinceMs?: number;
  readonly resolved: boolean;
}

export interface PriceState {
  readonly settlement?: PricePoint;
  readonly fast?: PricePoint;
  /** Fast-feed points within the fast-move window (oldest first). */
  readonly fastWindow: readonly PricePoint[];
  /** Recent settlement ticks (oldest first, bounded), to find S0 for markets seen after their start. */
  readonly settlementHistory: readonly PricePoint[];
  /** Recent ticks of the venue's TWAP stream (oldest first, bounded). */
  readonly twapHistory: readonly (PricePoint & { readonly windowS: number })[];
  /** A reference price was rejected as implausible: no quoting until then (epoch ms). */
  readonly suspectUntilMs?: number;
  readonly suspectReason?: string;
  readonly ewma: EwmaState;
  readonly basis?: Basis;
}

export interface FeedHealth {
  /** Feeds currently known down (connection) or stale (silence). */
  readonly down: ReadonlySet<Feed>;
  readonly stale: ReadonlySet<Feed>;
  /** False from the first failed heartbeat until a fresh acknowledgement: no new orders meanwhile. */
  readonly heartbeatOk: boolean;
  /** The last acknowledgement (before any, the first failure): the grace period runs from here. */
  readonly heartbeatSinceMs?: number;
  /** Unacknowledged for the whole grace period: cancel everything until a fresh acknowledgement. */
  readonly heartbeatDown: boolean;
  readonly heartbeatFailures: number;
  readonly geoblocked: boolean;
  /** The venue refused our API credentials even freshly derived: halt (cancel all) until accepted. */
  readonly authRefused?: boolean;
}

export interface RiskState {
  /** PnL realized today (UTC) on resolved markets, USDC. */
  readonly realizedUsdc: number;
  /** Start of the UTC day the realized PnL belongs to. */
  readonly dayStartMs: number;
  /** Latched once today's realized + marked-to-market loss passed the limit: only a restart clears it. */
  readonly killed: boolean;
}

export interface BotState {
  readonly nowMs: number;
  readonly markets: ReadonlyMap<string, MarketState>;
  readonly prices: PriceState;
  readonly health: FeedHealth;
  readonly risk: RiskState;
  readonly skips: number;
  /** Set by an operator's halt (`polymm cancel-all`): latched until restart. */
  readonly operatorHalt?: string;
}

export interface StateParams {
  readonly settlementSource: PriceTick['source'];
  readonly fastSource: PriceTick['source'];
  readonly ewmaHalfLifeS: number;
  /** Variance per second the EWMA starts from (BTC's, not a market's: one estimate for all markets). */
  readonly varPriorPerS: number;
  /** The jump-robust split of the estimate (alpha.jumpClipSd > 0), else undefined. */
  readonly volJumps?: JumpParams;
  readonly fastMoveWindowMs: number;
  readonly basisHalfLifeS: number;
  /** How the price to beat and final price are established (tolerances). */
  readonly settlement: SettlementParams;
  /** After a rejected (implausible) price, how long the feed stays suspect (ms). */
  readonly suspectHoldMs: number;
  /** Drop a market this long after its end (ms). */
  readonly keepAfterEndMs: number;
  /** Daily loss (realized + marked to market) that halts trading until restart, USDC. */
  readonly dailyLossLimitUsdc: number;
  /** How long heartbeats may go unacknowledged before everything is cancelled (ms). */
  readonly heartbeatGraceMs: number;
}

/** The starting state: the feeds listed count as down until their first connection. */
export function initialState(requiredFeeds: readonly Feed[] = ['market', 'user']): BotState {
  return {
    nowMs: 0,
    markets: new Map(),
    prices: { fastWindow: [], settlementHistory: [], twapHistory: [], ewma: ewmaInit() },
    health: {
      down: new Set(requiredFeeds),
      stale: new Set(),
      heartbeatOk: true,
      heartbeatDown: false,
      heartbeatFailures: 0,
      geoblocked: false,
    },
    risk: { realizedUsdc: 0, dayStartMs: 0, killed: false },
    skips: 0,
  };
}

const withMarket = (s: BotState, id: string, f: (m: MarketState) => MarketState): BotState => {
  const m = s.markets.get(id);
  return m ? { ...s, markets: new Map(s.markets).set(id, f(m)) } : s;
};

const toggle = <T>(set: ReadonlySet<T>, item: T, on: boolean): ReadonlySet<T> => {
  if (set.has(item) === on) return set;
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
};

/** How far back settlement ticks are kept. */
const HISTORY_MS = 5 * 60_000;

/** Recompute a market's price to beat / final price from the histories (same object if unchanged). */
function withSettlement(m: MarketState, prices: PriceState, p: StateParams): MarketState {
  const settlement = settle(
    m.settlement,
    m.market,
    { ticks: prices.settlementHistory, twapTicks: prices.twapHistory },
    p.settlement,
  );
  if (settlement === m.settlement) return m;
  const { s0: _s0, s0Source: _src, ...rest } = m;
  return {
    ...rest,
    settlement,
    s0Missed: settlement.missed !== undefined,
    ...(settlement.priceToBeat !== undefined
      ? { s0: settlement.priceToBeat, s0Source: settlement.priceToBeatSource }
      : {}),
  };
}

/** A new market; if its start lies within the tick history, S0 comes from there. */
function newMarket(market: MarketIdentity, prices: PriceState, p: StateParams): MarketState {
  const m: MarketState = {
    market,
    tickSize: market.tickSize,
    orders: new Map(),
    closedOrders: new Set(),
    inventory: EMPTY_INVENTORY,
    resolved: market.winner !== undefined,
    s0Missed: false,
    settlement: {},
  };
  return withSettlement(m, prices, p);
}

const bounded = <T extends PricePoint>(history: readonly T[], pt: T): T[] => [
  ...history.filter((h) => pt.tsMs - h.tsMs <= HISTORY_MS),
  pt,
];

function onPrice(s: BotState, tick: PriceTick, p: StateParams): BotState {
  const pt = { price: tick.price, tsMs: tick.tsMs };
  let prices = s.prices;
  const boundaryInput = tick.source === p.settlementSource || tick.source === 'chainlink-twap';
  if (tick.source === p.settlementSource) {
    if (prices.settlement && tick.tsMs <= prices.settlement.tsMs) return s; // out of order or duplicate
    prices = {
      ...prices,
      settlement: pt,
      settlementHistory: bounded(prices.settlementHistory, pt),
      ewma: ewmaUpdate(prices.ewma, tick.price, tick.tsMs, p.ewmaHalfLifeS, p.varPriorPerS, p.volJumps),
      basis: basisUpdate(prices.basis, prices.fast, pt, p.fastMoveWindowMs, p.basisHalfLifeS),
    };
  }
  if (tick.source === 'chainlink-twap') {
    const last = prices.twapHistory[prices.twapHistory.length - 1];
    if (last && tick.tsMs <= last.tsMs) return s;
    prices = { ...prices, twapHistory: bounded(prices.twapHistory, { ...pt, windowS: tick.windowS ?? 60 }) };
  }
  if (tick.source === p.fastSource && (!prices.fast || tick.tsMs > prices.fast.tsMs)) {
    const window = [...prices.fastWindow.filter((w) => tick.tsMs - w.tsMs <= p.fastMoveWindowMs), pt];
    prices = { ...prices, fast: pt, fastWindow: window };
  }
  if (prices === s.prices) return s;
  let markets = s.markets;
  if (boundaryInput) {
    for (const [id, m] of s.markets) {
      const next = withSettlement(m, prices, p);
      if (next === m) continue;
      if (markets === s.markets) markets = new Map(s.markets);
      (markets as Map<string, MarketState>).set(id, next);
    }
  }
  return { ...s, prices, markets };
}

function onOrder(m: MarketState, o: LiveOrder): MarketState {
  if (m.closedOrders.has(o.orderId)) return m;
  const orders = new Map(m.orders);
  const known = orders.get(o.orderId);
  if (o.status === 'live')
    return {
      ...m,
      orders: orders.set(
        o.orderId,
        known?.level !== undefined && o.level === undefined ? { ...o, level: known.level } : o,
      ),
    };
  orders.delete(o.orderId);
  return { ...m, orders, closedOrders: new Set(m.closedOrders).add(o.orderId) };
}

/** Apply one input event, then the daily-loss check. */
export function reduce(s: BotState, ev: InputEvent, p: StateParams): BotState {
  const next = checkHeartbeat(realize(reduceEvent(s, ev, p), ev), p);
  // Only fills, marks (books) and realizations move the daily PnL.
  const pnlMoved = ev.kind === 'fill' || ev.kind === 'book' || next.risk !== s.risk;
  return pnlMoved ? checkLoss(next, p) : next;
}

/** Heartbeats unacknowledged for the grace period (time moves with every event, clock ticks included). */
function checkHeartbeat(s: BotState, p: StateParams): BotState {
  const h = s.health;
  if (
    h.heartbeatOk ||
    h.heartbeatDown ||
    h.heartbeatSinceMs === undefined ||
    s.nowMs - h.heartbeatSinceMs < p.heartbeatGraceMs
  )
    return s;
  return { ...s, health: { ...h, heartbeatDown: true } };
}

const DAY_MS = 86_400_000;

/** A resolved market's inventory becomes realized PnL (and leaves the inventory). */
function realize(s: BotState, ev: InputEvent): BotState {
  const id =
    ev.kind === 'marketResolved'
      ? ev.conditionId
      : ev.kind === 'market' && ev.market.winner !== undefined
        ? ev.market.conditionId
        : undefined;
  const m = id === undefined ? undefined : s.markets.get(id);
  if (!m) return s;
  const winner =
    ev.kind === 'marketResolved' ? (ev.winningTokenId === m.market.tokenUp ? 'up' : 'down') : m.market.winner;
  const inv = m.inventory;
  if (inv.up.shares === 0 && inv.down.shares === 0) return s;
  const pnl = markToMarket(inv, winner === 'up' ? 1 : 0, winner === 'down' ? 1 : 0);
  const day = Math.floor(s.nowMs / DAY_MS) * DAY_MS;
  const realizedUsdc = (day === s.risk.dayStartMs ? s.risk.realizedUsdc : 0) + pnl;
  return {
    ...s,
    risk: { ...s.risk, realizedUsdc, dayStartMs: day },
    markets: new Map(s.markets).set(m.market.conditionId, { ...m, inventory: EMPTY_INVENTORY }),
  };
}

/** Today's realized plus the open markets marked at their mids (a side without a book at its cost). */
export function dailyPnl(s: BotState): number {
  const day = Math.floor(s.nowMs / DAY_MS) * DAY_MS;
  let pnl = day === s.risk.dayStartMs ? s.risk.realizedUsdc : 0;
  for (const m of s.markets.values())
    if (m.inventory.up.shares > 0 || m.inventory.down.shares > 0)
      pnl += markToMarket(
        m.inventory,
        midOf(m.bookUp) ?? avgCost(m.inventory.up) ?? 0,
        midOf(m.bookDown) ?? avgCost(m.inventory.down) ?? 0,
      );
  return pnl;
}

function checkLoss(s: BotState, p: StateParams): BotState {
  return s.risk.killed || dailyPnl(s) >= -p.dailyLossLimitUsdc ? s : { ...s, risk: { ...s.risk, killed: true } };
}

/** Apply one input event. Unknown markets' events are ignored (they arrive around rolls). */
function reduceEvent(s: BotState, ev: InputEvent, p: StateParams): BotState {
  const nowMs = Math.max(s.nowMs, ev.tsMs);
  const t: BotState = nowMs === s.nowMs ? s : { ...s, nowMs };
  switch (ev.kind) {
    case 'market': {
      const known = t.markets.get(ev.market.conditionId);
      const m = known
        ? withSettlement(
            { ...known, market: ev.market, tickSize: ev.market.tickSize, resolved: ev.market.winner !== undefined },
            t.prices,
            p,
          )
        : newMarket(ev.market, t.prices, p);
      const markets = new Map(t.markets).set(ev.market.conditionId, m);
      for (const [id, old] of markets)
        if (nowMs > old.market.endMs + p.keepAfterEndMs && old.orders.size === 0) markets.delete(id);
      return { ...t, markets };
    }
    case 'book':
      return withMarket(t, ev.conditionId, (m) => {
        const outcome = outcomeOf(m.market, ev.book.tokenId);
        return outcome === 'up' ? { ...m, bookUp: ev.book } : outcome === 'down' ? { ...m, bookDown: ev.book } : m;
      });
    case 'tickSize':
      return withMarket(t, ev.conditionId, (m) => ({ ...m, tickSize: ev.tickSize }));
    case 'marketResolved':
      return withMarket(t, ev.conditionId, (m) => ({ ...m, resolved: true }));
    case 'order':
      return withMarket(t, ev.order.conditionId, (m) => onOrder(m, ev.order));
    case 'fill':
      return withMarket(t, ev.fill.conditionId, (m) => {
        const inventory = applyFill(m.inventory, ev.fill, ev.reversal, fillFeeUsdc(ev.fill, m.market.feeSchedule));
        const unpaired = Math.abs(unpairedShares(inventory)) >= 1;
        const unpairedSinceMs = unpaired ? (m.unpairedSinceMs ?? ev.tsMs) : undefined;
        const base = { ...m, inventory };
        return unpairedSinceMs === undefined
          ? (({ unpairedSinceMs: _u, ...rest }) => rest)(base)
          : { ...base, unpairedSinceMs };
      });
    case 'price':
      return onPrice(t, ev.tick, p);
    case 'connection': {
      const down = toggle(t.health.down, ev.feed, ev.state === 'down');
      return down === t.health.down ? t : { ...t, health: { ...t.health, down } };
    }
    case 'stale': {
      const stale = toggle(t.health.stale, ev.feed, ev.stale);
      return stale === t.health.stale ? t : { ...t, health: { ...t.health, stale } };
    }
    case 'heartbeat': {
      const h = t.health;
      const geoblocked = ev.ok ? false : ev.refused === 'region' || h.geoblocked;
      const heartbeatSinceMs = ev.ok ? ev.tsMs : (h.heartbeatSinceMs ?? ev.tsMs);
      const authRefused = ev.ok ? false : ev.refused === 'credentials' || h.authRefused === true;
      return {
        ...t,
        health: {
          ...h,
          heartbeatOk: ev.ok,
          heartbeatSinceMs,
          heartbeatDown: false,
          heartbeatFailures: h.heartbeatFailures + (ev.ok ? 0 : 1),
          geoblocked,
          ...(authRefused || h.authRefused !== undefined ? { authRefused } : {}),
        },
      };
    }
    case 'position':
      // Held before we started: adopt it while we have seen no fill; the cost is unknown, so it is
      // booked at 0.5 a share (neutral for the completion cap and the loss check).
      return withMarket(t, ev.conditionId, (m) =>
        m.inventory.lastTradeMs > 0 || m.inventory.up.shares > 0 || m.inventory.down.shares > 0
          ? m
          : {
              ...m,
              inventory: {
                up: { shares: ev.up, notional: ev.up * 0.5 },
                down: { shares: ev.down, notional: ev.down * 0.5 },
                lastTradeMs: 0,
              },
              ...(Math.abs(ev.up - ev.down) >= 1 ? { unpairedSinceMs: ev.tsMs } : {}),
            },
      );
    case 'skip':
      // An implausible reference price: the feed is suspect (no quoting) for a while.
      return ev.suspect
        ? {
            ...t,
            skips: t.skips + 1,
            prices: { ...t.prices, suspectUntilMs: ev.tsMs + p.suspectHoldMs, suspectReason: ev.reason },
          }
        : { ...t, skips: t.skips + 1 };
    case 'operatorHalt':
      return { ...t, operatorHalt: ev.reason };
    default:
      return t; // clock and lastTrade: time only
  }
}

/** Global reasons not to quote at all; empty when healthy. */
export function globalHalts(s: BotState): string[] {
  const out: string[] = [];
  if (s.health.down.has('user') || s.health.stale.has('user')) out.push('user_feed_down');
  if (s.health.down.has('market') || s.health.stale.has('market')) out.push('market_feed_down');
  if (s.health.heartbeatDown) out.push('heartbeat_down');
  else if (!s.health.heartbeatOk) out.push('heartbeat_unconfirmed');
  if (s.health.geoblocked) out.push('geoblocked');
  if (s.health.authRefused) out.push('auth_refused');
  if (s.risk.killed) out.push('daily_loss_limit');
  if (s.prices.suspectUntilMs !== undefined && s.nowMs < s.prices.suspectUntilMs) out.push('prices_suspect');
  if (s.operatorHalt !== undefined) out.push('operator_halt');
  return out;
}

/** Reasons specific to one market; empty when it may be quoted. */
export function marketHalts(m: MarketState): string[] {
  const out: string[] = [];
  const rule = resolutionOf(m.market);
  if (rule.rule === 'unknown') out.push('resolution_unknown');
  if (m.s0 === undefined) out.push(m.s0Missed ? 'no_s0_joined_late' : 'no_s0');
  if (m.settlement.disagree) out.push('s0_disagree');
  if (m.bookUp?.stale || m.bookDown?.stale) out.push('book_stale');
  if (m.resolved) out.push('resolved');
  return out;
}
