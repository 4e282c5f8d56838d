// Taker fees and maker rebates (protocol.md §0: fees are per market, applied at match time).
import type { FeeSchedule, Fill } from '../domain/index.js';

/** A market's fee curve: its published schedule, or the January 2026 crypto curve of the spec. */
export type FeeCurve = { readonly kind: 'schedule'; readonly schedule: FeeSchedule } | { readonly kind: 'jan2026' };

/** shares * p * 0.25 * (p(1-p))^2: peak 1.5625 % of notional at p = 0.5. */
export const JAN_2026_CRYPTO: FeeCurve = { kind: 'jan2026' };

export function feeCurveOf(schedule: FeeSchedule): FeeCurve {
  return { kind: 'schedule', schedule };
}

/** Fee per share at price p, in USDC. Zero outside (0, 1) or for non-finite input. */
export function takerFeePerShare(price: number, curve: FeeCurve): number {
  if (!(price > 0 && price < 1)) return 0;
  const pq = price * (1 - price);
  if (curve.kind === 'jan2026') return price * 0.25 * pq * pq;
  const { rate, exponent } = curve.schedule;
  const fee = rate * Math.pow(pq, exponent);
  return Number.isFinite(fee) && fee > 0 ? fee : 0;
}

export function takerFeeUsdc(shares: number, price: number, curve: FeeCurve): number {
  return shares > 0 ? shares * takerFeePerShare(price, curve) : 0;
}

/** Estimated rebate a maker earns when `shares` of its order are taken at `price`. */
export function makerRebateUsdc(shares: number, price: number, curve: FeeCurve, rebateRate: number): number {
  return Math.max(0, Math.min(1, rebateRate)) * takerFeeUsdc(shares, price, curve);
}

/** The fee one of our fills paid, in USDC: takers pay the schedule's fee, makers none (rebates, paid later, are not counted). */
export function fillFeeUsdc(fill: Pick<Fill, 'role' | 'size' | 'price'>, schedule: FeeSchedule | undefined): number {
  return fill.role === 'TAKER' && schedule ? takerFeeUsdc(fill.size, fill.price, feeCurveOf(schedule)) : 0;
}
