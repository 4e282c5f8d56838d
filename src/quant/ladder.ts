// A ladder of post-only bids on one token: level 0 competitive, deeper levels spaced by ticks.
import { roundBidDown, roundSize } from './ticks.js';

export interface LadderParams {
  readonly bestBid?: number;
  readonly bestAsk?: number;
  /** Highest price the model allows (already on the grid). */
  readonly cap: number;
  readonly tick: number;
  readonly levels: number;
  readonly baseSize: number;
  readonly sizeStep: number;
  readonly spacingTicks: number;
  readonly minSize: number;
  readonly sizeScalar: number;
}

export interface LadderLevel {
  readonly level: number;
  readonly price: number;
  readonly size: number;
}

const EPS = 1e-9;

/** Competitive level-0 price: improve the best bid by a tick unless that would cross the ask. */
export function competitivePrice(bestBid: number | undefined, bestAsk: number | undefined, tick: number): number {
  const belowAsk = bestAsk !== undefined ? bestAsk - tick : 1 - tick;
  const improved = bestBid !== undefined ? bestBid + tick : belowAsk;
  return Math.min(improved, belowAsk);
}

export function buildLadder(p: LadderParams): LadderLevel[] {
  if (!(p.sizeScalar > 0) || p.levels < 1 || !(p.cap >= p.tick - EPS)) return [];
  const top = Math.min(p.cap, competitivePrice(p.bestBid, p.bestAsk, p.tick));
  if (!(top >= p.tick - EPS)) return [];
  const top0 = roundBidDown(top, p.tick);
  // roundBidDown clamps to [tick, 1 - tick]; a clamp upward must not cross the ask.
  if (p.bestAsk !== undefined && top0 > p.bestAsk - p.tick + EPS) return [];
  const out: LadderLevel[] = [];
  for (let level = 0; level < p.levels; level++) {
    const raw = top0 - level * p.spacingTicks * p.tick;
    if (raw < p.tick - EPS) break;
    const size = roundSize(Math.max(p.minSize, (p.baseSize + level * p.sizeStep) * p.sizeScalar));
    out.push({ level, price: roundBidDown(raw, p.tick), size });
  }
  return out;
}
