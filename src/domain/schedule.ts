// The recurring markets' schedule: interval names, slugs and the UTC grid. One owner for these
// facts, read by discovery, the CLI that starts the simulated venue, the backtest and the doctor.

export const INTERVAL_MS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
};

export function slugFor(asset: string, interval: string, startMs: number): string {
  return `${asset}-updown-${interval}-${Math.floor(startMs / 1000)}`;
}

/** Current and next interval starts (aligned to the UTC grid). */
export function currentAndNextStarts(nowMs: number, intervalMs: number): [number, number] {
  const current = Math.floor(nowMs / intervalMs) * intervalMs;
  return [current, current + intervalMs];
}
