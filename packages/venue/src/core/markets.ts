// The recurring market schedule: one binary market per interval, created ahead of its start.
import { createRng, decimalId, hexId } from './rng.js';
import type { VMarket } from './types.js';
import type { VResolution } from './settlement.js';

export const INTERVAL_LABELS: Readonly<Record<number, string>> = {
  60_000: '1m',
  300_000: '5m',
  900_000: '15m',
  3_600_000: '1h',
};

export function intervalLabel(intervalMs: number): string {
  return INTERVAL_LABELS[intervalMs] ?? `${Math.round(intervalMs / 60_000)}m`;
}

const etTime = (ms: number): string =>
  new Date(ms)
    .toLocaleTimeString('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit' })
    .replace(' ', '');
const etDate = (ms: number): string =>
  new Date(ms).toLocaleDateString('en-US', { timeZone: 'America/New_York', month: 'long', day: 'numeric' });

/**
 * Whether the exchange takes orders for the market: from its creation until its end, as live, where a
 * 15-minute market accepts orders about a day before its interval starts (`acceptingOrdersTimestamp`).
 * Gamma's `acceptingOrders` says the same.
 */
export const acceptsOrders = (m: VMarket): boolean => m.status === 'scheduled' || m.status === 'open';

export function createMarket(
  seed: number,
  startMs: number,
  intervalMs: number,
  createdMs: number,
  resolution: VResolution = 'twap',
  twapLookbackS = 60,
): VMarket {
  // 32-bit arithmetic: a float product loses its low bits once seed × 2654435761 passes 2^53 (seeds
  // above ~3.4 million), and consecutive markets then got the same ids. Same value as before below that.
  const rng = createRng((Math.imul(seed, 2654435761) + Math.floor(startMs / 1000)) >>> 0);
  const label = intervalLabel(intervalMs);
  const endMs = startMs + intervalMs;
  return {
    slug: `btc-updown-${label}-${Math.floor(startMs / 1000)}`,
    conditionId: `0x${hexId(rng, 32)}`,
    questionId: `0x${hexId(rng, 32)}`,
    question: `Bitcoin Up or Down - ${etDate(startMs)}, ${etTime(startMs)}-${etTime(endMs)} ET`,
    tokenUp: decimalId(rng),
    tokenDown: decimalId(rng),
    createdMs,
    startMs,
    endMs,
    tickSize: 0.01,
    minSize: 5,
    feeSchedule: { rate: 0.072, exponent: 1, takerOnly: true, rebateRate: 0.2 },
    status: 'scheduled',
    resolution,
    twapLookbackS,
  };
}
