// Risk in the bot's state: realized PnL (resolutions and merges), today's PnL with open markets
// marked at their mids, and the daily-loss kill switch.
import type { FillEvent, InputEvent } from '../domain/index.js';
import { EMPTY_INVENTORY, midOf } from '../domain/index.js';
import { applyMerge, avgCost, markToMarket } from '../quant/index.js';
import type { BotState, StateParams } from './botState.js';
import { SmallMap } from './smallMap.js';

/** We hold shares of this market (its books mark them). */
export function holds(s: BotState, conditionId: string): boolean {
  const inv = s.markets.get(conditionId)?.inventory;
  return inv !== undefined && (inv.up.shares > 0 || inv.down.shares > 0);
}

/** A reversed fill from before the kill switch latched, after which the loss is within the limit again: the latch was caused by a trade that never happened. */
export function unlatchOnReversal(s: BotState, ev: FillEvent, p: StateParams): BotState {
  const { killed, killedAtMs } = s.risk;
  if (killed && killedAtMs !== undefined && ev.fill.tsMs <= killedAtMs && dailyPnl(s) >= -p.dailyLossLimitUsdc) {
    return { ...s, risk: { ...s.risk, killed: false, killedAtMs: undefined } };
  }
  return checkLoss(s, p);
}

const DAY_MS = 86_400_000;

/** A resolved market's inventory becomes realized PnL (and leaves the inventory). */
export function realize(s: BotState, ev: InputEvent): BotState {
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
    markets: SmallMap.of(s.markets).with(m.market.conditionId, { ...m, inventory: EMPTY_INVENTORY }),
  };
}

/**
 * Full sets merged on chain leave the quoting inventory (at average cost) and their collateral is
 * realized: the engine sizes from what is still held, and the loss check sees the merge's gain or loss.
 */
export function merged(s: BotState, conditionId: string, sets: number): BotState {
  const m = s.markets.get(conditionId);
  if (!m || sets <= 0) return s;
  const inventory = applyMerge(m.inventory, sets);
  const removed = m.inventory.up.shares - inventory.up.shares;
  if (removed <= 0) return s;
  const cost = m.inventory.up.notional + m.inventory.down.notional - inventory.up.notional - inventory.down.notional;
  const day = Math.floor(s.nowMs / DAY_MS) * DAY_MS;
  const realizedUsdc = (day === s.risk.dayStartMs ? s.risk.realizedUsdc : 0) + removed - cost;
  return {
    ...s,
    risk: { ...s.risk, realizedUsdc, dayStartMs: day },
    markets: SmallMap.of(s.markets).with(conditionId, { ...m, inventory }),
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

/** Latch the kill switch once today's loss passes the limit. */
export function checkLoss(s: BotState, p: StateParams): BotState {
  return s.risk.killed || dailyPnl(s) >= -p.dailyLossLimitUsdc
    ? s
    : { ...s, risk: { ...s.risk, killed: true, killedAtMs: s.nowMs } };
}
