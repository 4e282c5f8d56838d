// Reference prices in the bot's state: the settlement and fast feeds' last prices and histories, the
// EWMA volatility and basis, and the prices to beat and final prices they fix.
import type { PriceTick } from '../domain/index.js';
import { basisUpdate, ewmaUpdate, type PricePoint } from '../quant/index.js';
import type { BotState, MarketState, PriceState, StateParams } from './botState.js';
import { draftBot, draftPrices } from './draft.js';
import { settle, unmovedBy } from './settlement.js';
import { SmallMap } from './smallMap.js';

/** How far back settlement ticks are kept. */
const HISTORY_MS = 5 * 60_000;

/** Recompute a market's price to beat / final price from the histories (same object if unchanged). */
export function withSettlement(m: MarketState, prices: PriceState, p: StateParams): MarketState {
  const settlement = settle(
    m.settlement,
    m.market,
    { ticks: prices.settlementHistory, twapTicks: prices.twapHistory },
    p.settlement,
  );
  if (settlement === m.settlement) return m;
  const known = settlement.priceToBeat !== undefined;
  return {
    ...m,
    settlement,
    s0Missed: settlement.missed !== undefined,
    s0: settlement.priceToBeat,
    s0Source: known ? settlement.priceToBeatSource : undefined,
  };
}

/** The history (oldest first) with `pt` appended and what lies more than `keepMs` before it dropped. */
function bounded<T extends PricePoint>(history: readonly T[], pt: T, keepMs = HISTORY_MS): T[] {
  // Sorted (a tick older than the last is refused): what is dropped is a prefix, usually of one.
  let k = 0;
  while (k < history.length && pt.tsMs - history[k]!.tsMs > keepMs) k++;
  const next = history.slice(k);
  next.push(pt);
  return next;
}

/** A reference price tick: the feeds' last prices and histories, the volatility and basis, and the price to beat of each market it fixes. */
export function onPrice(s: BotState, tick: PriceTick, p: StateParams): BotState {
  const pt = { price: tick.price, tsMs: tick.tsMs };
  let prices = s.prices;
  const boundaryInput = tick.source === p.settlementSource || tick.source === 'chainlink-twap';
  if (tick.source === p.settlementSource) {
    if (prices.settlement && tick.tsMs <= prices.settlement.tsMs) return s; // out of order or duplicate
    const d = draftPrices(prices);
    d.settlement = pt;
    d.settlementHistory = bounded(prices.settlementHistory, pt);
    d.ewma = ewmaUpdate(prices.ewma, tick.price, tick.tsMs, p.ewmaHalfLifeS, p.varPriorPerS, p.volJumps);
    d.basis = basisUpdate(prices.basis, prices.fast, pt, p.fastMoveWindowMs, p.basisHalfLifeS);
    prices = d;
  }
  if (tick.source === 'chainlink-twap') {
    const last = prices.twapHistory[prices.twapHistory.length - 1];
    if (last && tick.tsMs <= last.tsMs) return s;
    const d = draftPrices(prices);
    d.twapHistory = bounded(prices.twapHistory, { price: pt.price, tsMs: pt.tsMs, windowS: tick.windowS ?? 60 });
    prices = d;
  }
  if (tick.source === p.fastSource && (!prices.fast || tick.tsMs > prices.fast.tsMs)) {
    const window = bounded(prices.fastWindow, pt, p.fastMoveWindowMs);
    const d = draftPrices(prices);
    d.fast = pt;
    d.fastWindow = window;
    prices = d;
  }
  if (prices === s.prices) return s;
  let markets = s.markets;
  if (boundaryInput) {
    const before = { ticks: s.prices.settlementHistory, twapTicks: s.prices.twapHistory };
    const after = { ticks: prices.settlementHistory, twapTicks: prices.twapHistory };
    for (const [id, m] of s.markets) {
      if (unmovedBy(m.market, before, after, p.settlement)) continue;
      const next = withSettlement(m, prices, p);
      if (next !== m) markets = SmallMap.of(markets).with(id, next);
    }
  }
  const d = draftBot(s);
  d.prices = prices;
  d.markets = markets;
  return d;
}
