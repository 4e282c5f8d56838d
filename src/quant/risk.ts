// Taker completion (TECH_SPEC §7 strategy/risk): buy the missing side of unpaired inventory with
// FOK/FAK at an explicit price cap, only when the completed pair still earns the edge:
// pair cost + taker fee <= 1 - edge. Completing at a loss is the "panic" allowance, a setting that
// is off by default: unpaired inventory is a position held to resolution, not a loss to lock in.
import type { Inventory, Outcome } from '../domain/index.js';
import { avgCost, unpairedShares } from './inventory.js';
import { takerFeePerShare, type FeeCurve } from './fees.js';
import { roundSize } from './ticks.js';

export interface CompletionParams {
  /** Edge a completed pair must keep: cost + price + fee <= 1 - minEdge. */
  readonly minEdge: number;
  /** In the last `panicWindowMs` before the cutoff (0: never), accept up to this loss per pair instead. */
  readonly panicWindowMs: number;
  readonly panicMaxLossPerShare: number;
  readonly minWaitMs: number;
  readonly maxUnpairedShares: number;
  /**
   * The completing leg must also be worth its price on its own: price + fee <= the leg's fair value
   * (`CompletionInputs.fairMissing`). The excess leg's cost is sunk; a leg bought above fair loses
   * on average whatever the pair cost (issue 12: taker legs lost 0.11/share, 0.035 below true fair).
   */
  readonly legAtFair?: boolean;
}

export interface CompletionInputs {
  readonly nowMs: number;
  /** Absolute epoch ms of the cutoff (end - cutoff). */
  readonly cutoffMs: number;
  readonly inventory: Inventory;
  readonly bestAskUp?: number;
  readonly bestAskDown?: number;
  readonly tick: number;
  readonly minSize: number;
  readonly curve: FeeCurve;
  /** Since when the inventory has been unpaired. */
  readonly unpairedSinceMs?: number;
  /** The missing token's fair value by the model (the estimate less favourable to buying it). */
  readonly fairMissing?: number;
}

export interface Completion {
  readonly outcome: Outcome;
  readonly size: number;
  readonly maxPrice: number;
  readonly reason: string;
}

/** Allowed pair cost + fee - 1 per share: -minEdge (a profit), or the panic allowance near the cutoff. */
export function allowedLossPerShare(nowMs: number, cutoffMs: number, p: CompletionParams): number {
  const panic = p.panicWindowMs > 0 && nowMs >= cutoffMs - p.panicWindowMs;
  return panic ? p.panicMaxLossPerShare : -p.minEdge;
}

/** Largest grid price P with P + fee(P) <= fair, or undefined: a taker buy that is not above fair value. */
export function fairLegCap(fair: number, tick: number, curve: FeeCurve): number | undefined {
  if (!Number.isFinite(fair)) return undefined;
  const { prices, fees } = gridFees(tick, curve);
  for (let n = prices.length - 1; n >= 1; n--) if (prices[n]! + fees[n]! <= fair + 1e-12) return prices[n];
  return undefined;
}

/** Largest grid price P with avgCost + P + fee(P) - 1 <= allowedLoss, or undefined. */
export function completionCap(
  excessAvgCost: number,
  allowedLoss: number,
  tick: number,
  curve: FeeCurve,
): number | undefined {
  const { prices, fees } = gridFees(tick, curve);
  for (let n = prices.length - 1; n >= 1; n--) {
    const price = prices[n]!;
    if (excessAvgCost + price + fees[n]! - 1 <= allowedLoss + 1e-12) return price;
  }
  return undefined;
}

/**
 * Grid prices and their taker fee, per tick size and fee curve, computed once: the completion cap
 * is searched on every evaluation of an unpaired market, 99 grid steps and more. Bounded cache.
 */
const feeGrids = new Map<string, { prices: number[]; fees: number[] }>();

function gridFees(tick: number, curve: FeeCurve): { prices: number[]; fees: number[] } {
  const key =
    curve.kind === 'schedule' ? `${tick}|${curve.schedule.rate}|${curve.schedule.exponent}` : `${tick}|${curve.kind}`;
  let g = feeGrids.get(key);
  if (!g) {
    const steps = Math.round(1 / tick) - 1;
    const prices = [NaN];
    const fees = [NaN];
    for (let n = 1; n <= steps; n++) {
      const price = Number((n * tick).toFixed(6));
      prices.push(price);
      fees.push(takerFeePerShare(price, curve));
    }
    if (feeGrids.size >= 64) feeGrids.clear();
    g = { prices, fees };
    feeGrids.set(key, g);
  }
  return g;
}

export function completionOrder(i: CompletionInputs, p: CompletionParams): Completion | undefined {
  const unpaired = unpairedShares(i.inventory);
  const size = roundSize(Math.abs(unpaired));
  if (size < i.minSize || i.nowMs >= i.cutoffMs) return undefined;
  const waited = i.unpairedSinceMs !== undefined ? i.nowMs - i.unpairedSinceMs : 0;
  const tooMuch = size > p.maxUnpairedShares;
  if (waited < p.minWaitMs && !tooMuch) return undefined;
  const excess: Outcome = unpaired > 0 ? 'up' : 'down';
  const missing: Outcome = excess === 'up' ? 'down' : 'up';
  const cost = avgCost(i.inventory[excess]);
  if (cost === undefined) return undefined;
  const allowed = allowedLossPerShare(i.nowMs, i.cutoffMs, p);
  const pairCap = completionCap(cost, allowed, i.tick, i.curve);
  // Only the panic allowance (a deliberate loss to flatten) skips the leg's own fair-value check.
  const panic = allowed > -p.minEdge;
  const legCap =
    p.legAtFair && !panic ? (i.fairMissing === undefined ? undefined : fairLegCap(i.fairMissing, i.tick, i.curve)) : 1;
  const maxPrice = pairCap === undefined || legCap === undefined ? undefined : Math.min(pairCap, legCap);
  const bestAsk = missing === 'up' ? i.bestAskUp : i.bestAskDown;
  if (maxPrice === undefined || bestAsk === undefined || bestAsk > maxPrice + 1e-9) return undefined;
  const why = tooMuch ? `unpaired ${size} > max ${p.maxUnpairedShares}` : `unpaired ${size} for ${waited}ms`;
  return {
    outcome: missing,
    size,
    maxPrice,
    reason: `${why}; cap ${maxPrice} (pair cost + fee - 1 <= ${allowed.toFixed(4)}/share${panic ? ', panic' : ''}${legCap !== undefined && legCap < (pairCap ?? 1) ? `; leg at fair <= ${legCap}` : ''})`,
  };
}

/** The venue's floor on a marketable BUY's spend (USDC): "invalid amount for a marketable BUY order". */
export const MIN_MARKET_BUY_USDC = 1;

/**
 * The USDC a FOK/FAK BUY of `size` shares spends. A marketable BUY is sized in USDC and the venue
 * spends all of it, best ask first: sized at the cap, it buys more shares than asked whenever the
 * asks are cheaper. So: the cost of `size` shares over the visible asks up to `maxPrice` (shares
 * beyond them at `maxPrice`), in cents rounded up, and no less than the venue's floors: the
 * minimum size at the cap (the order's share amount is spend / cap) and $1.
 */
export function takerSpend(
  asks: readonly { readonly price: number; readonly size: number }[],
  size: number,
  maxPrice: number,
  minSize: number,
): number {
  let left = size;
  let cost = 0;
  for (const a of asks) {
    if (left <= 0 || a.price > maxPrice + 1e-9) break;
    const take = Math.min(left, a.size);
    cost += take * a.price;
    left -= take;
  }
  cost += Math.max(0, left) * maxPrice;
  const cents = (x: number): number => Math.ceil(Math.round(x * 1e6) / 1e4) / 100;
  return Math.max(cents(cost), cents(minSize * maxPrice), MIN_MARKET_BUY_USDC);
}
