// Implausible reference prices (non-positive, non-finite, or a jump no market makes between two
// ticks) are rejected before they reach the state: a 1e12 tick must not become S0, a FAST_MOVE of
// "Infinity %" or a volatility estimate. A jump is confirmed by the other feed agreeing with it.
import type { PriceSource, PriceTick } from '../domain/index.js';
import type { PricePoint } from './toxicity.js';

export interface PlausibilityParams {
  /** Largest relative move from the same feed's recent price (or gap to the other feed) accepted. */
  readonly maxJump: number;
  /** A feed's last price older than this no longer judges its next one (ms). */
  readonly memoryMs: number;
}

/** Last accepted price per source. */
export type ScreenState = ReadonlyMap<PriceSource, PricePoint>;

/** Which feed confirms a jump of another: fast feeds and the TWAP are judged against Chainlink. */
const OTHER: Readonly<Record<PriceSource, readonly PriceSource[]>> = {
  chainlink: ['binance', 'pyth'],
  'chainlink-twap': ['chainlink'],
  binance: ['chainlink', 'pyth'],
  pyth: ['chainlink', 'binance'],
};

const gap = (a: number, b: number): number => Math.abs(Math.log(a / b));

/** Undefined when the tick is plausible; else why it is not. */
export function implausibility(s: ScreenState, tick: PriceTick, p: PlausibilityParams): string | undefined {
  const { price, tsMs, source } = tick;
  if (!Number.isFinite(price) || !(price > 0)) return `${source} price ${price} is not a positive number`;
  if (!Number.isFinite(tsMs)) return `${source} timestamp ${tsMs} is not a number`;
  const limit = Math.log(1 + p.maxJump);
  const recent = (q: PricePoint | undefined): q is PricePoint =>
    q !== undefined && Math.abs(tsMs - q.tsMs) <= p.memoryMs;
  const own = s.get(source);
  const others = OTHER[source].map((o) => s.get(o)).filter(recent);
  const agrees = others.some((o) => gap(price, o.price) <= limit);
  if (recent(own)) {
    if (gap(price, own.price) <= limit || agrees) return undefined;
    return `${source} price ${price} jumps ${(100 * (price / own.price - 1)).toFixed(1)}% from ${own.price} (limit ${(100 * p.maxJump).toFixed(1)}%), unconfirmed by the other feed`;
  }
  // A feed's first price: judged against the other feeds it should be near.
  if (others.length === 0 || agrees) return undefined;
  return `${source} price ${price} is ${(100 * (price / others[0]!.price - 1)).toFixed(1)}% from the other feed's ${others[0]!.price} (limit ${(100 * p.maxJump).toFixed(1)}%)`;
}

/** Screen one tick: the new state and, for a rejected tick, the reason. */
export function screenTick(
  s: ScreenState,
  tick: PriceTick,
  p: PlausibilityParams,
): { state: ScreenState; rejected?: string } {
  const rejected = implausibility(s, tick, p);
  if (rejected) return { state: s, rejected };
  const last = s.get(tick.source);
  if (last && last.tsMs >= tick.tsMs) return { state: s };
  return { state: new Map(s).set(tick.source, { price: tick.price, tsMs: tick.tsMs }) };
}
