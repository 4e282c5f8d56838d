// Inventory accounting: shares and cost per side, average cost, pairing.
import type { Fill, Inventory, InventorySide } from '../domain/index.js';

export function avgCost(side: InventorySide): number | undefined {
  return side.shares > 1e-9 ? side.notional / side.shares : undefined;
}

function trade(side: InventorySide, dir: 1 | -1, shares: number, price: number): InventorySide {
  if (dir === 1) return { shares: side.shares + shares, notional: side.notional + shares * price };
  // Selling removes shares at their average cost.
  const sold = Math.min(shares, side.shares);
  const cost = avgCost(side) ?? 0;
  return { shares: side.shares - sold, notional: Math.max(0, side.notional - sold * cost) };
}

function unbuy(side: InventorySide, shares: number, price: number): InventorySide {
  const n = Math.min(shares, side.shares);
  return { shares: side.shares - n, notional: n === side.shares ? 0 : Math.max(0, side.notional - n * price) };
}

/**
 * Apply one of our fills; `reversal` undoes a fill whose trade FAILED. A fee paid (USDC) is part of
 * the cost of that side, so marking to market and realizing at resolution both count it.
 */
export function applyFill(inv: Inventory, fill: Fill, reversal: boolean, feeUsdc = 0): Inventory {
  const buy = fill.side === 'BUY' ? 1 : -1;
  const dir = (reversal ? -buy : buy) as 1 | -1;
  const key = fill.outcome;
  if (key === undefined) return inv;
  // Undoing a buy takes back exactly the cost it added (not the average cost: that would leave the
  // failed trade's price difference in the book).
  const side =
    reversal && fill.side === 'BUY'
      ? unbuy(inv[key], fill.size, fill.price)
      : trade(inv[key], dir, fill.size, fill.price);
  const withFee =
    feeUsdc > 0 ? { ...side, notional: Math.max(0, side.notional + (reversal ? -feeUsdc : feeUsdc)) } : side;
  return { ...inv, [key]: withFee, lastTradeMs: Math.max(inv.lastTradeMs, fill.tsMs) };
}

export function unpairedShares(inv: Inventory): number {
  return inv.up.shares - inv.down.shares;
}

export function pairedShares(inv: Inventory): number {
  return Math.max(0, Math.min(inv.up.shares, inv.down.shares));
}

/** Merging `sets` full sets returns 1 USDC each and removes them at average cost. */
export function applyMerge(inv: Inventory, sets: number): Inventory {
  const n = Math.min(sets, pairedShares(inv));
  return { ...inv, up: trade(inv.up, -1, n, 0), down: trade(inv.down, -1, n, 0) };
}

/** Unrealized PnL: value at the marks minus cost. */
export function markToMarket(inv: Inventory, markUp: number, markDown: number): number {
  return inv.up.shares * markUp + inv.down.shares * markDown - inv.up.notional - inv.down.notional;
}
