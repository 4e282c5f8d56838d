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

export function ewmaInit(): EwmaState {
  return { varPerS: 0, driftPerS: 0, samples: 0, ignored: 0 };
}

export function ewmaUpdate(s: EwmaState, price: number, tsMs: number, halfLifeS: number): EwmaState {
  if (!(price > 0) || !Number.isFinite(price) || !Number.isFinite(tsMs)) return { ...s, ignored: s.ignored + 1 };
  if (s.lastPrice === undefined || s.lastTsMs === undefined) return { ...s, lastPrice: price, lastTsMs: tsMs };
  const dtS = (tsMs - s.lastTsMs) / 1000;
  if (dtS <= 0) return { ...s, ignored: s.ignored + 1 };
  const r = Math.log(price / s.lastPrice);
  const weight = 1 - Math.pow(2, -dtS / Math.max(halfLifeS, 1e-9));
  // First return seeds the estimate instead of averaging against a zero prior.
  const alpha = s.samples === 0 ? 1 : weight;
  const driftPerS = s.driftPerS + alpha * (r / dtS - s.driftPerS);
  const varPerS = s.varPerS + alpha * ((r * r) / dtS - s.varPerS);
  return { varPerS, driftPerS, lastPrice: price, lastTsMs: tsMs, samples: s.samples + 1, ignored: s.ignored };
}
