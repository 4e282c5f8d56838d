// Model caps per token and the combined cap p_up + p_down <= target_total.
import { roundBidDown } from './ticks.js';

export interface Caps {
  readonly capUp: number;
  readonly capDown: number;
}

const EPS = 1e-9;

/**
 * Lower both prices until their sum fits the target. The cut is shared in proportion to each
 * price, which keeps the fair-value skew; both stay on the grid within [tick, 1 - tick].
 */
export function enforceCombinedCap(
  pUp: number,
  pDown: number,
  targetTotal: number,
  tick: number,
): { pUp: number; pDown: number } {
  let up = roundBidDown(pUp, tick);
  let down = roundBidDown(pDown, tick);
  if (up + down <= targetTotal + EPS) return { pUp: up, pDown: down };
  const scale = targetTotal / (up + down);
  up = roundBidDown(up * scale, tick);
  down = roundBidDown(down * scale, tick);
  // Rounding may still leave a tick too much when the target is off-grid; take it from the larger.
  while (up + down > targetTotal + EPS && (up > tick + EPS || down > tick + EPS)) {
    if (up >= down) up = roundBidDown(up - tick, tick);
    else down = roundBidDown(down - tick, tick);
  }
  return { pUp: up, pDown: down };
}

/** cap_up = q_up - edge, cap_down = (1 - q_up) - edge, then the combined cap. */
export function modelCaps(qUp: number, requiredEdge: number, targetTotal: number, tick: number): Caps {
  return modelCapsWithin(qUp, qUp, requiredEdge, targetTotal, tick);
}

/**
 * Caps when q_up is only known to lie in [qLow, qHigh] (a fast move the oracle has not shown yet):
 * each side is capped by the estimate least favourable to it, so the side the move makes stale is
 * re-priced and the other is left alone.
 */
export function modelCapsWithin(
  qLow: number,
  qHigh: number,
  requiredEdge: number,
  targetTotal: number,
  tick: number,
): Caps {
  const clamp = (q: number): number => (Number.isFinite(q) ? Math.min(1, Math.max(0, q)) : 0.5);
  const lo = Math.min(clamp(qLow), clamp(qHigh));
  const hi = Math.max(clamp(qLow), clamp(qHigh));
  const { pUp, pDown } = enforceCombinedCap(lo - requiredEdge, 1 - hi - requiredEdge, targetTotal, tick);
  return { capUp: pUp, capDown: pDown };
}

/**
 * Caps from what we already hold: a bid on the side we are short of completes pairs with the excess
 * side's shares, so it may pay at most `targetTotal − avgCost(excess)`: every pair it completes then
 * costs at most the target, whatever the quotes were when the first leg filled. Without this, legs
 * bought at different moments sum to about 1 and the pairs earn nothing. Below one tick the side is
 * not quoted (cap 0). The excess side is left to the skew rules.
 */
export function pairCostCaps(
  excess: 'up' | 'down' | undefined,
  excessAvgCost: number | undefined,
  targetTotal: number,
  tick: number,
): Partial<Caps> {
  if (excess === undefined || excessAvgCost === undefined || !Number.isFinite(excessAvgCost)) return {};
  const ticks = Math.floor((targetTotal - excessAvgCost) / tick + EPS);
  const cap = ticks >= 1 ? Math.min(roundBidDown(ticks * tick, tick), 1 - tick) : 0;
  return excess === 'up' ? { capDown: cap } : { capUp: cap };
}
