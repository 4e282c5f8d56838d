// EWMA variance and drift of log returns per second, from irregularly spaced prices.
// The weight of a new observation depends on elapsed time (half-life in seconds), not on the
// number of updates, so a burst of ticks does not swamp the estimate.

export interface EwmaState {
  readonly varPerS: number;
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
  return { varPerS: 0, driftPerS: 0, samples: 0, ignored: 0 };
}

/**
 * Fold one price in. The estimate starts from `priorVarPerS` (and zero drift) rather than from the
 * first return: one squared one-second return is a very noisy variance, and a first return taken
 * as the drift used to push q_up to 0 or 1 at a flat start.
 */
export function ewmaUpdate(s: EwmaState, price: number, tsMs: number, halfLifeS: number, priorVarPerS = 0): EwmaState {
  if (!(price > 0) || !Number.isFinite(price) || !Number.isFinite(tsMs)) return { ...s, ignored: s.ignored + 1 };
  if (s.lastPrice === undefined || s.lastTsMs === undefined) return { ...s, lastPrice: price, lastTsMs: tsMs };
  const dtS = (tsMs - s.lastTsMs) / 1000;
  if (dtS <= 0) return { ...s, ignored: s.ignored + 1 };
  const r = Math.log(price / s.lastPrice);
  const weight = halfLifeWeight(dtS, halfLifeS);
  const prevVar = s.samples === 0 ? Math.max(0, priorVarPerS) : s.varPerS;
  const driftPerS = s.driftPerS + weight * (r / dtS - s.driftPerS);
  const varPerS = prevVar + weight * ((r * r) / dtS - prevVar);
  return { varPerS, driftPerS, lastPrice: price, lastTsMs: tsMs, samples: s.samples + 1, ignored: s.ignored };
}
