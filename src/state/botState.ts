// The bot's view of the world as one pure reducer over input events: per-market books, our live
// orders, inventory and S0; global reference prices, EWMA volatility and feed health.
// No clock of its own: time is the latest event's timestamp (clock ticks included).
// Its parts: the copies it makes (draft.ts), reference prices (prices.ts), PnL and the kill switch
// (risk.ts); what it forbids is read by halts.ts.
import type { Book, Feed, Fill, InputEvent, LiveOrder, MarketIdentity, PriceTick } from '../domain/index.js';
import { EMPTY_INVENTORY, isTickSize, outcomeOf, type Inventory } from '../domain/index.js';
import {
  applyFill,
  ewmaInit,
  fillFeeUsdc,
  unpairedShares,
  type Basis,
  type EwmaState,
  type JumpParams,
  type PricePoint,
} from '../quant/index.js';
import { ClosedOrders } from '../execution/closedOrders.js';
import { applyOrderUpdate } from '../execution/liveOrders.js';
import { at, draftMarket, withMarket } from './draft.js';
import { onPrice, withSettlement } from './prices.js';
import { checkLoss, holds, merged, realize, unlatchOnReversal } from './risk.js';
import { SmallMap } from './smallMap.js';
import type { PriceSourceOfRecord, Settlement, SettlementParams } from './settlement.js';

export interface MarketState {
  readonly market: MarketIdentity;
  readonly bookUp?: Book;
  readonly bookDown?: Book;
  /** Tick size in force (the market's, updated by tick_size_change). */
  readonly tickSize: number;
  /** Our orders believed live, by order id. */
  readonly orders: ReadonlyMap<string, LiveOrder>;
  /** Our orders known cancelled or filled: a late, duplicated or reordered event cannot revive them (bounded, see closedOrders.ts). */
  readonly closedOrders: ClosedOrders;
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
  /**
   * Our fills counted but not yet CONFIRMED on chain, by `${tradeId}:${orderId}` (absent when none).
   * `inventory` includes them (quoting and risk see the worst case: a pending buy held, a pending
   * sell gone); merges and redemptions use only what is settled (`settledInventory`).
   */
  readonly unsettled?: ReadonlyMap<string, Fill>;
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
  /**
   * The settlement feed's level against the fast feed's: an EWMA of log(settlement / latest fast) at
   * each settlement tick (alpha.basisHalfLifeS). The fast price times exp(logRatio) is where the
   * settlement price is heading; the oracle's lag or a basis between the feeds moves it little.
   */
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
  /** When it latched: a FAILED trade from before then that brings the loss back within the limit unlatches it (the loss never existed). */
  readonly killedAtMs?: number;
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
  /** Half-life of the settlement/fast basis estimate (seconds). */
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
    markets: SmallMap.empty(),
    prices: {
      settlement: undefined,
      fast: undefined,
      fastWindow: [],
      settlementHistory: [],
      twapHistory: [],
      suspectUntilMs: undefined,
      suspectReason: undefined,
      ewma: ewmaInit(),
    },
    health: {
      down: new Set(requiredFeeds),
      stale: new Set(),
      heartbeatOk: true,
      heartbeatSinceMs: undefined,
      heartbeatDown: false,
      heartbeatFailures: 0,
      geoblocked: false,
      authRefused: undefined,
    },
    risk: { realizedUsdc: 0, dayStartMs: 0, killed: false, killedAtMs: undefined },
    skips: 0,
    operatorHalt: undefined,
  };
}

const toggle = <T>(set: ReadonlySet<T>, item: T, on: boolean): ReadonlySet<T> => {
  if (set.has(item) === on) return set;
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
};

/** A new market; if its start lies within the tick history, S0 comes from there. */
function newMarket(market: MarketIdentity, prices: PriceState, p: StateParams): MarketState {
  // Every key present (absent values undefined), and updates set keys rather than delete them: all
  // market states keep one object shape, for the copies made on every book and order update.
  const m: MarketState = {
    market,
    bookUp: undefined,
    bookDown: undefined,
    tickSize: market.tickSize,
    orders: new Map(),
    closedOrders: ClosedOrders.EMPTY,
    inventory: EMPTY_INVENTORY,
    s0: undefined,
    s0Source: undefined,
    s0Missed: false,
    settlement: {},
    unpairedSinceMs: undefined,
    resolved: market.winner !== undefined,
    unsettled: undefined,
  };
  return withSettlement(m, prices, p);
}

function onBook(m: MarketState, book: Book): MarketState {
  const outcome = outcomeOf(m.market, book.tokenId);
  if (outcome === undefined) return m;
  const d = draftMarket(m);
  if (outcome === 'up') d.bookUp = book;
  else d.bookDown = book;
  return d;
}

function onOrder(m: MarketState, o: LiveOrder): MarketState {
  const v = applyOrderUpdate({ orders: m.orders, closed: m.closedOrders }, o);
  if (v.orders === m.orders) return m;
  const d = draftMarket(m);
  d.orders = v.orders;
  d.closedOrders = v.closed;
  return d;
}

/** An input the state cannot apply (it only reaches here from a corrupted log): the state before it stands. */
export class UnusableInput extends Error {
  override readonly name = 'UnusableInput';
}

/** Apply one input event, then the daily-loss check. */
export function reduce(s: BotState, ev: InputEvent, p: StateParams): BotState {
  const next = checkHeartbeat(realize(reduceEvent(s, ev, p), ev), p);
  // Only fills, marks (books of a market we hold) and realizations move the daily PnL.
  const pnlMoved = ev.kind === 'fill' || (ev.kind === 'book' && holds(next, ev.conditionId)) || next.risk !== s.risk;
  if (ev.kind === 'fill' && ev.reversal) return unlatchOnReversal(next, ev, p);
  return pnlMoved ? checkLoss(next, p) : next;
}

/** Fills still pending (not CONFIRMED) taken out of the inventory: what is on chain for sure. */
export function settledInventory(m: MarketState): Inventory {
  let inv = m.inventory;
  // Only pending buys come out: a pending sell's shares stay spent (conservative both ways).
  for (const f of m.unsettled?.values() ?? []) if (f.side === 'BUY') inv = applyFill(inv, f, true);
  return inv;
}

/** Follow a counted fill's settlement: pending until CONFIRMED, gone when reversed. */
function trackSettlement(m: MarketState, fill: Fill, reversal: boolean): MarketState {
  const key = `${fill.tradeId}:${fill.orderId}`;
  const pending = !reversal && fill.status !== 'CONFIRMED';
  if (pending === (m.unsettled?.has(key) ?? false) && !pending) return m;
  const unsettled = new Map(m.unsettled ?? []);
  if (pending) unsettled.set(key, fill);
  else unsettled.delete(key);
  return { ...m, unsettled: unsettled.size > 0 ? unsettled : undefined };
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

/** Apply one input event. Unknown markets' events are ignored (they arrive around rolls). */
function reduceEvent(s: BotState, ev: InputEvent, p: StateParams): BotState {
  const nowMs = Math.max(s.nowMs, ev.tsMs);
  const t = at(s, nowMs);
  switch (ev.kind) {
    case 'market': {
      const { tickSize, minSize } = ev.market;
      // A malformed market (a corrupted log) would make the grid searches run without end.
      if (!isTickSize(tickSize)) throw new UnusableInput(`market tick size ${tickSize}`);
      if (!(minSize > 0 && Number.isFinite(minSize))) throw new UnusableInput(`market minimum size ${minSize}`);
      const known = t.markets.get(ev.market.conditionId);
      const m = known
        ? withSettlement(
            { ...known, market: ev.market, tickSize: ev.market.tickSize, resolved: ev.market.winner !== undefined },
            t.prices,
            p,
          )
        : newMarket(ev.market, t.prices, p);
      const markets = SmallMap.of(t.markets)
        .with(ev.market.conditionId, m)
        .filter((old) => nowMs <= old.market.endMs + p.keepAfterEndMs || old.orders.size > 0);
      return { ...t, markets };
    }
    case 'book':
      return withMarket(s, nowMs, ev.conditionId, (m) => onBook(m, ev.book));
    case 'tickSize':
      if (!isTickSize(ev.tickSize)) throw new UnusableInput(`tick size ${ev.tickSize}`);
      return withMarket(s, nowMs, ev.conditionId, (m) => ({ ...m, tickSize: ev.tickSize }));
    case 'marketResolved':
      return withMarket(s, nowMs, ev.conditionId, (m) => ({ ...m, resolved: true }));
    case 'order':
      return withMarket(s, nowMs, ev.order.conditionId, (m) => onOrder(m, ev.order));
    case 'fill':
      return withMarket(s, nowMs, ev.fill.conditionId, (m) => {
        const inventory = applyFill(m.inventory, ev.fill, ev.reversal, fillFeeUsdc(ev.fill, m.market.feeSchedule));
        const unpaired = Math.abs(unpairedShares(inventory)) >= 1;
        const unpairedSinceMs = unpaired ? (m.unpairedSinceMs ?? ev.tsMs) : undefined;
        return trackSettlement({ ...m, inventory, unpairedSinceMs }, ev.fill, ev.reversal);
      });
    case 'tradeStatus':
      return withMarket(s, nowMs, ev.fill.conditionId, (m) =>
        m.unsettled?.has(`${ev.fill.tradeId}:${ev.fill.orderId}`) ? trackSettlement(m, ev.fill, false) : m,
      );
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
      return withMarket(s, nowMs, ev.conditionId, (m) =>
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
    case 'inventoryOp':
      // Redemptions need nothing here: a resolved market's inventory was realized at resolution.
      return ev.phase === 'done' && ev.action === 'merge' ? merged(t, ev.conditionId, ev.sets ?? 0) : t;
    default:
      return t; // clock and lastTrade: time only
  }
}
