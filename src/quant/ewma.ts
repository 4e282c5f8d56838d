// EWMA variance and drift of log returns per second, from irregularly spaced prices.
// The weight of a new observation depends on elapsed time (half-life in seconds), not on the
// number of updates, so a burst of ticks does not swamp the estimate.
import type { PricePoint } from './toxicity.js';

export interface EwmaState {
  /** The variance per second to price with: the diffusion's plus the jumps'. */
  readonly varPerS: number;
  /** The diffusion's part (each return clipped at `jumps.clipSd` of it); all of it without `jumps`. */
  readonly diffVarPerS: number;
  /** The jumps' part: a slow average of what the clip cut off (0 without `jumps`). */
  readonly jumpVarPerS: number;
  readonly driftPerS: number;
  readonly lastPrice?: number;
  readonly lastTsMs?: number;
  readonly samples: number;
  /** Duplicate timestamps, out-of-order or invalid prices: skipped and counted. */
  readonly ignored: number;
}

/** The weight of an observation `dtS` seconds after the last one, for an EWMA with this half-life. */
export const halfLifeWeight = (dtS: number, halfLifeS: number): number =>
  1 - Math.pow(2, -dtS / Math.max(halfLifeS, 1e-9));

export function ewmaInit(): EwmaState {
  return { varPerS: 0, diffVarPerS: 0, jumpVarPerS: 0, driftPerS: 0, samples: 0, ignored: 0 };
}

/**
 * A jump-robust estimate (alpha.jumpClipSd): a return beyond `clipSd` standard deviations of the
 * diffusion estimate enters it only up to that size; the excess goes to a separate average with a
 * long half-life. One large return then no longer multiplies the variance for minutes (a 0.75 %
 * jump made the 60 s EWMA's volatility ten times its level, q_up collapsing toward 0.5), while
 * frequent jumps still add their average variance.
 */
export interface JumpParams {
  readonly clipSd: number;
  readonly halfLifeS: number;
}

/**
 * Fold one price in. The estimate starts from `priorVarPerS` (and zero drift) rather than from the
 * first return: one squared one-second return is a very noisy variance, and a first return taken
 * as the drift used to push q_up to 0 or 1 at a flat start.
 */
export function ewmaUpdate(
  s: EwmaState,
  price: number,
  tsMs: number,
  halfLifeS: number,
  priorVarPerS = 0,
  jumps?: JumpParams,
): EwmaState {
  if (!(price > 0) || !Number.isFinite(price) || !Number.isFinite(tsMs)) return { ...s, ignored: s.ignored + 1 };
  if (s.lastPrice === undefined || s.lastTsMs === undefined) return { ...s, lastPrice: price, lastTsMs: tsMs };
  const dtS = (tsMs - s.lastTsMs) / 1000;
  if (dtS <= 0) return { ...s, ignored: s.ignored + 1 };
  const r = Math.log(price / s.lastPrice);
  const weight = halfLifeWeight(dtS, halfLifeS);
  const prevVar = s.samples === 0 ? Math.max(0, priorVarPerS) : s.diffVarPerS;
  const driftPerS = s.driftPerS + weight * (r / dtS - s.driftPerS);
  const sample = (r * r) / dtS;
  const clipped = jumps && jumps.clipSd > 0 && prevVar > 0 ? Math.min(sample, jumps.clipSd ** 2 * prevVar) : sample;
  const diffVarPerS = prevVar + weight * (clipped - prevVar);
  const jumpVarPerS = jumps
    ? s.jumpVarPerS + halfLifeWeight(dtS, jumps.halfLifeS) * (sample - clipped - s.jumpVarPerS)
    : 0;
  return {
    varPerS: diffVarPerS + jumpVarPerS,
    diffVarPerS,
    jumpVarPerS,
    driftPerS,
    lastPrice: price,
    lastTsMs: tsMs,
    samples: s.samples + 1,
    ignored: s.ignored,
  };
}

/** The settlement/fast basis: an EWMA of log(settlement / fast) over time (alpha.fastAnchor). */
export interface Basis {
  readonly logRatio: number;
  readonly tsMs: number;
}

/**
 * The basis after a settlement price `pt`: only against a fast price at most `windowMs` from it
 * (else unchanged), weighted by the time since the last update.
 */
export function basisUpdate(
  basis: Basis | undefined,
  fast: PricePoint | undefined,
  pt: PricePoint,
  windowMs: number,
  halfLifeS: number,
): Basis | undefined {
  if (!fast || !(fast.price > 0) || !(pt.price > 0) || Math.abs(pt.tsMs - fast.tsMs) > windowMs) return basis;
  const x = Math.log(pt.price / fast.price);
  if (!basis) return { logRatio: x, tsMs: pt.tsMs };
  const w = halfLifeWeight(Math.max(0, pt.tsMs - basis.tsMs) / 1000, halfLifeS);
  return { logRatio: basis.logRatio + w * (x - basis.logRatio), tsMs: pt.tsMs };
}
