// Taker completion (TECH_SPEC §7 strategy/risk): buy the missing side of unpaired inventory with
// FOK/FAK at an explicit price cap, so that the pair plus the taker fee stays within a loss limit.
import type { Inventory, Outcome } from '../domain/index.js';
import { avgCost, unpairedShares } from './inventory.js';
import { takerFeePerShare, type FeeCurve } from './fees.js';
import { roundSize } from './ticks.js';

export interface CompletionParams {
  readonly maxLossPerShare: number;
  readonly maxLossPerShareAtCutoff: number;
  readonly minWaitMs: number;
  readonly maxUnpairedShares: number;
}

export interface CompletionInputs {
  readonly nowMs: number;
  /** Absolute epoch ms of the cutoff (end - cutoff). */
  readonly cutoffMs: number;
  readonly startMs: number;
  readonly inventory: Inventory;
  readonly bestAskUp?: number;
  readonly bestAskDown?: number;
  readonly tick: number;
  readonly minSize: number;
  readonly curve: FeeCurve;
  /** Since when the inventory has been unpaired. */
  readonly unpairedSinceMs?: number;
}

export interface Completion {
  readonly outcome: Outcome;
  readonly size: number;
  readonly maxPrice: number;
  readonly reason: string;
}

/** Allowed loss per share: grows linearly from the base limit to the cutoff limit over the interval. */
export function allowedLossPerShare(nowMs: number, startMs: number, cutoffMs: number, p: CompletionParams): number {
  const span = cutoffMs - startMs;
  const t = span > 0 ? Math.min(1, Math.max(0, (nowMs - startMs) / span)) : 1;
  return p.maxLossPerShare + t * (p.maxLossPerShareAtCutoff - p.maxLossPerShare);
}

/** Largest grid price P with avgCost + P + fee(P) - 1 <= allowedLoss, or undefined. */
export function completionCap(excessAvgCost: number, allowedLoss: number, tick: number, curve: FeeCurve): number | undefined {
  const steps = Math.round(1 / tick) - 1;
  for (let n = steps; n >= 1; n--) {
    const price = Number((n * tick).toFixed(6));
    if (excessAvgCost + price + takerFeePerShare(price, curve) - 1 <= allowedLoss + 1e-12) return price;
  }
  return undefined;
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
  const allowed = allowedLossPerShare(i.nowMs, i.startMs, i.cutoffMs, p);
  const maxPrice = completionCap(cost, allowed, i.tick, i.curve);
  const bestAsk = missing === 'up' ? i.bestAskUp : i.bestAskDown;
  if (maxPrice === undefined || bestAsk === undefined || bestAsk > maxPrice + 1e-9) return undefined;
  const why = tooMuch ? `unpaired ${size} > max ${p.maxUnpairedShares}` : `unpaired ${size} for ${waited}ms`;
  return { outcome: missing, size, maxPrice, reason: `${why}; cap ${maxPrice} (loss <= ${allowed.toFixed(4)}/share)` };
}
