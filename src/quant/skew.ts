// Inventory skew: lean against unpaired inventory by shrinking or removing the excess side's bids.
import type { LadderLevel } from './ladder.js';
import { roundSize } from './ticks.js';

export interface SkewParams {
  readonly mildShares: number;
  readonly moderateShares: number;
  readonly severeShares: number;
  readonly mildSizeScalar: number;
  readonly moderateSizeScalar: number;
}

export type SkewLevel = 'none' | 'mild' | 'moderate' | 'severe';

export function skewLevel(unpairedShares: number, p: SkewParams): SkewLevel {
  const u = Math.abs(unpairedShares);
  if (!(u > 0)) return 'none';
  if (u >= p.severeShares) return 'severe';
  if (u >= p.moderateShares) return 'moderate';
  if (u >= p.mildShares) return 'mild';
  return 'none';
}

function shrink(levels: readonly LadderLevel[], scalar: number, minSize: number, dropLevel0: boolean): LadderLevel[] {
  return levels
    .filter((l) => !(dropLevel0 && l.level === 0))
    .map((l) => ({ ...l, size: roundSize(l.size * scalar) }))
    .filter((l) => l.size >= minSize);
}

/** `unpairedShares` = up - down: positive means Up is the excess side. */
export function applySkew(
  up: readonly LadderLevel[],
  down: readonly LadderLevel[],
  unpairedShares: number,
  p: SkewParams,
  minSize: number,
): { up: LadderLevel[]; down: LadderLevel[]; skew: SkewLevel } {
  const skew = skewLevel(unpairedShares, p);
  const adjust = (levels: readonly LadderLevel[]): LadderLevel[] => {
    switch (skew) {
      case 'none':
        return [...levels];
      case 'mild':
        return shrink(levels, p.mildSizeScalar, minSize, false);
      case 'moderate':
        return shrink(levels, p.moderateSizeScalar, minSize, true);
      case 'severe':
        return [];
    }
  };
  return unpairedShares > 0 ? { up: adjust(up), down: [...down], skew } : { up: [...up], down: adjust(down), skew };
}
