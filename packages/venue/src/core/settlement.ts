// How the simulated venue settles its markets, as Polymarket does since August 2026: on the
// trailing 60 s TWAP of its Chainlink stream at the window's start (price to beat) and end (final
// price), Up iff final >= price to beat. `first-tick` keeps the retired rule (the first Chainlink
// tick at or after each). The TWAP stream it publishes is the same average at each Chainlink tick.

export type VResolution = 'twap' | 'first-tick';

interface Point {
  readonly tsMs: number;
  readonly value: number;
}

/**
 * Time-weighted average over (endMs − windowMs, endMs] of the ticks up to `endMs`, each tick's
 * value holding over the span since the tick before it (a tick after a gap covers the gap), as
 * Chainlink weighs its reports. Undefined with no tick in the window.
 */
export function venueTwap(points: readonly Point[], endMs: number, windowMs: number): number | undefined {
  const fromMs = endMs - windowMs;
  let sum = 0;
  let weight = 0;
  let prevMs = fromMs;
  let count = 0;
  let plain = 0;
  for (const p of points) {
    if (p.tsMs > endMs) break;
    if (p.tsMs <= fromMs) continue;
    const w = p.tsMs - Math.max(prevMs, fromMs);
    sum += w * p.value;
    weight += w;
    prevMs = p.tsMs;
    count += 1;
    plain += p.value;
  }
  if (weight > 0) return sum / weight;
  return count ? plain / count : undefined;
}

/** The Chainlink ticks the venue keeps to average over, bounded to a few windows. */
export class OracleHistory {
  private readonly points: Point[] = [];
  constructor(private readonly keepMs: number) {}

  add(tsMs: number, value: number): void {
    this.points.push({ tsMs, value });
    while (this.points.length > 1 && this.points[0]!.tsMs < tsMs - this.keepMs) this.points.shift();
  }

  twapAt(endMs: number, windowMs: number): number | undefined {
    // A stall longer than the window: the last value before it still stands.
    return venueTwap(this.points, endMs, windowMs) ?? [...this.points].reverse().find((p) => p.tsMs <= endMs)?.value;
  }
}

/** Settlement prices are published rounded to the cent's fraction Chainlink reports (8 decimals). */
export const round8 = (x: number): number => Math.round(x * 1e8) / 1e8;
