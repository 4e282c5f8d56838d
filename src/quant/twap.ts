// Settlement on a trailing time-weighted average (Chainlink's 60 s TWAP stream, protocol.md §0):
// the average itself, and q_up for the event "TWAP at the end >= price to beat".
import { normalCdf } from './normal.js';
import type { PricePoint } from './toxicity.js';

/**
 * Time-weighted average over the window (endMs - windowMs, endMs] of a tick stream, each tick's
 * price holding over the span since the previous tick (as Chainlink weights a report that absorbed
 * a gap across the whole span it covers). Only ticks at or before `endMs` count. Undefined when no
 * tick lies in the window. `points` must be sorted by time; the tick before the window (if any)
 * bounds the first in-window tick's span, else that tick counts from the window's start.
 */
export function twapOf(points: readonly PricePoint[], endMs: number, windowMs: number): number | undefined {
  const fromMs = endMs - windowMs;
  const first = firstAfter(points, fromMs);
  let sum = 0;
  let weight = 0;
  let prevMs = fromMs;
  let n = 0;
  let plain = 0;
  for (let i = first; i < points.length && points[i]!.tsMs <= endMs; i++) {
    const p = points[i]!;
    const w = p.tsMs - prevMs;
    sum += w * p.price;
    weight += w;
    prevMs = p.tsMs;
    n++;
    plain += p.price;
  }
  // A single tick exactly at the window's start edge has zero span: weigh equally instead.
  if (weight > 0) return sum / weight;
  return n > 0 ? plain / n : undefined;
}

/** Index of the first point stamped after `ms` in points sorted by time (`points.length` if none): a binary search. */
export const firstAfter = (points: readonly PricePoint[], ms: number): number => search(points, (t) => t <= ms);

/** Index of the first point stamped at or after `ms` in points sorted by time (`points.length` if none). */
export const firstAtOrAfter = (points: readonly PricePoint[], ms: number): number => search(points, (t) => t < ms);

/** The number of leading points whose time satisfies `before` (a prefix, the points being sorted). */
function search(points: readonly PricePoint[], before: (tsMs: number) => boolean): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(points[mid]!.tsMs)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface TwapQuery {
  /** Price to beat (itself a trailing average at the start). */
  readonly s0: number;
  /** Latest settlement-source price. */
  readonly spot: number;
  /** Seconds to the end of the market (the end of the averaging window). */
  readonly tauS: number;
  /** Length of the averaging window, seconds. */
  readonly lookbackS: number;
  /** Average of the window's part already observed (needed when tauS < lookbackS). */
  readonly knownAvg?: number;
  /** Log drift and variance per second of the settlement price. */
  readonly muPerS: number;
  readonly varPerS: number;
  /** Spacing of the averaged ticks, seconds (1 for Chainlink); 0 is the continuous limit. */
  readonly tickS?: number;
}

const finite = (...xs: number[]): boolean => xs.every(Number.isFinite);
const clampQ = (q: number): number => (Number.isFinite(q) ? Math.min(1, Math.max(0, q)) : 0.5);

/**
 * q_up = P(A >= S0) for A the average of the last `lookbackS` seconds of ticks. The price is a
 * diffusion with per-second log variance σ². Before the window (τ >= w) log A is normal around
 * log S_t with variance σ²(τ − w + w/3) (the discrete-tick form below adds the Δ terms); inside
 * it (τ < w) A = ((w − τ)·Ā_known + τ·Ā_rest)/w with only Ā_rest uncertain: variance
 * σ²·S²·τ³/(3w²). At τ = 0 the outcome is the known average against S0 (ties go Up).
 */
export function qUpTwap(x: TwapQuery): number {
  const { s0, spot, lookbackS: w } = x;
  if (!finite(s0, spot, w) || !(s0 > 0) || !(spot > 0) || !(w > 0)) return 0.5;
  const tau = Number.isFinite(x.tauS) ? Math.max(0, x.tauS) : 0;
  const mu = Number.isFinite(x.muPerS) ? x.muPerS : 0;
  const v = Number.isFinite(x.varPerS) && x.varPerS > 0 ? x.varPerS : 0;
  const dt = x.tickS !== undefined && x.tickS >= 0 ? Math.min(x.tickS, w) : 1;
  if (tau >= w) {
    // Mean of the remaining Brownian increments over the window's ticks: drift to the window's middle.
    const variance = v * (tau - w + ((w + dt) * (2 * w + dt)) / (6 * w));
    const m = Math.log(spot / s0) + mu * (tau - w / 2);
    if (!(variance > 0)) return m >= 0 ? 1 : 0;
    return clampQ(normalCdf(m / Math.sqrt(variance)));
  }
  const known = x.knownAvg !== undefined && x.knownAvg > 0 && Number.isFinite(x.knownAvg) ? x.knownAvg : spot;
  const restMean = spot * (1 + (mu * (tau + dt)) / 2);
  const mean = ((w - tau) * known + tau * restMean) / w;
  // Σ_{i,j≤n} min(i,j)·Δ over n = τ/Δ remaining ticks = τ(τ+Δ)(2τ+Δ)/6 (τ³/3 as Δ → 0).
  const variance = (v * spot * spot * tau * (tau + dt) * (2 * tau + dt)) / (6 * w * w);
  if (!(tau > 0) || !(variance > 0)) return mean >= s0 ? 1 : 0;
  return clampQ(normalCdf((mean - s0) / Math.sqrt(variance)));
}
