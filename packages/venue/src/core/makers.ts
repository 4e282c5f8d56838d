// Competing makers. Each quotes around its OWN estimate of fair value: BTC as it saw it a second or
// two ago (its feed lags), off by a slowly wandering error of its own, through its own guess of
// the volatility. It skews against its inventory and widens while it sees a fast move. So the book
// does not reveal the true fair value, and a maker whose view is stale gets picked off.
import type { Rng } from './rng.js';
import { fairVolAnnual, volPerSqrtS, type ScenarioParams } from './scenarios.js';
import type { VBook, VMarket, VOrderRequest } from './types.js';

export interface ParticipantWorld {
  openMarkets(): readonly VMarket[];
  /** Markets listed ahead of their interval (they take orders already). */
  upcomingMarkets(): readonly VMarket[];
  fastPrice(): number;
  /** The fast price as it was at `tsMs` (recent past only). */
  fastPriceAt(tsMs: number): number;
  /** Inside a TWAP market's window: the oracle's average since the window opened (what is already settled). */
  twapSoFar(m: VMarket, nowMs: number): number | undefined;
  book(tokenId: string): VBook | undefined;
  place(req: VOrderRequest): void;
  cancelMarket(owner: string, conditionId: string): void;
  shares(owner: string, tokenId: string): number;
  merge(owner: string, conditionId: string, sets: number): void;
}

/** Maker accounts: 0x…a1, 0x…a2, … (at most 15). */
export const makerAddress = (i: number): string => `0x${'0'.repeat(38)}${(0xa1 + i).toString(16)}`;
export const MAX_MAKERS = 15;

/** Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7): enough for simulated traders. */
export function phi(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

export const onTick = (p: number): number => Math.min(0.99, Math.max(0.01, Math.round(p * 100) / 100));

/**
 * P(Up) for a BTC price, as anyone who knows S0 and a volatility would compute it, by the market's
 * rule. A TWAP market settles on the average of its last `L` seconds, which moves less than the spot:
 * before the window its variance is that of (τ − 2L/3) seconds of spot; inside it the part already
 * averaged (`twapSoFar`, the oracle's average since the window opened) is known and only the rest,
 * weighted τ/L, is uncertain (variance of an average of τ seconds: τ/3).
 */
export function fairUp(m: VMarket, price: number, nowMs: number, volAnnual: number, twapSoFar?: number): number {
  const s0 = m.oracleStart ?? price;
  const tau = Math.max(1, (m.endMs - nowMs) / 1000);
  const sigma = volPerSqrtS(volAnnual);
  const lookback = m.resolution === 'twap' ? m.twapLookbackS : 0;
  if (!(lookback > 0)) return phi(Math.log(price / s0) / (sigma * Math.sqrt(tau)));
  if (tau >= lookback) return phi(Math.log(price / s0) / (sigma * Math.sqrt(tau - (2 * lookback) / 3)));
  const w = tau / lookback;
  const mean = (1 - w) * (twapSoFar ?? price) + w * price;
  return phi((mean - s0) / (w * price * sigma * Math.sqrt(tau / 3)));
}

/**
 * Makers leave a market this long before its end (its last seconds belong to whoever sees the oracle
 * first) and roll over to the next one, which they quote from this long before its start, around 0.5:
 * with no drift both averages are alike. (Roughly: the price to beat averages the minute before the
 * start, part of which is known by then. No simulated taker trades a market before its start, and the
 * bot does not quote one.) So the books the bot follows never fall empty and silent between two
 * markets (live, the next market is traded well ahead of its start).
 */
export const ROLLOVER_MS = 20_000;

const FAST_MOVE_WINDOW_MS = 5_000;
const FAST_MOVE = 0.002;
/** Time constant of a maker's price error. */
const ERROR_TAU_S = 60;

export class Maker {
  private readonly lagMs: number;
  /** The volatility this maker prices with: the process's, off by its own error. */
  private readonly vol: number;
  private errorLog = 0;
  private lastMs: number;
  nextQuoteMs: number;

  constructor(
    readonly owner: string,
    private readonly rng: Rng,
    private readonly p: ScenarioParams,
    startMs: number,
  ) {
    this.lagMs = p.makerLagMs * (0.5 + rng.next());
    this.vol = fairVolAnnual(p) * Math.exp(p.makerVolError * rng.normal());
    this.errorLog = (p.makerNoiseBps / 1e4) * rng.normal();
    this.lastMs = startMs;
    this.nextQuoteMs = startMs + rng.int(0, Math.max(1, Math.round(p.makerRequoteMs)));
  }

  /** This maker's estimate of P(Up), and whether it sees a fast move. */
  estimate(m: VMarket, nowMs: number, w: ParticipantWorld): { fair: number; fastMove: boolean } {
    const dtS = Math.max(0, (nowMs - this.lastMs) / 1000);
    this.lastMs = nowMs;
    const rho = Math.exp(-dtS / ERROR_TAU_S);
    this.errorLog = rho * this.errorLog + (this.p.makerNoiseBps / 1e4) * Math.sqrt(1 - rho * rho) * this.rng.normal();
    const seen = w.fastPriceAt(nowMs - this.lagMs);
    const before = w.fastPriceAt(nowMs - this.lagMs - FAST_MOVE_WINDOW_MS);
    const fastMove = Math.abs(Math.log(seen / before)) >= FAST_MOVE;
    return {
      fair: fairUp(m, seen * Math.exp(this.errorLog), nowMs, this.vol, w.twapSoFar(m, nowMs)),
      fastMove,
    };
  }

  act(nowMs: number, w: ParticipantWorld): void {
    if (nowMs < this.nextQuoteMs) return;
    this.nextQuoteMs = nowMs + this.p.makerRequoteMs * (0.5 + this.rng.next());
    for (const m of w.openMarkets()) this.quote(m, nowMs, w);
    for (const m of w.upcomingMarkets()) if (m.startMs - nowMs <= ROLLOVER_MS) this.quote(m, nowMs, w);
  }

  private quote(m: VMarket, nowMs: number, w: ParticipantWorld): void {
    const { owner, p } = this;
    w.cancelMarket(owner, m.conditionId);
    // An open market's price to beat is fixed at the first oracle tick after its start: until then
    // its fair value is unknown. Before the start it is taken as even (fairUp with S0 = the price: 0.5).
    if (m.endMs - nowMs < ROLLOVER_MS || (m.status === 'open' && m.oracleStart === undefined)) return;
    const { fair, fastMove } = this.estimate(m, nowMs, w);
    const held = { up: w.shares(owner, m.tokenUp), down: w.shares(owner, m.tokenDown) };
    const pairs = Math.min(held.up, held.down);
    if (pairs >= 200) w.merge(owner, m.conditionId, Math.floor(pairs));
    const center = fair - p.makerSkewPerShare * (held.up - held.down);
    const half = p.makerSpread + this.rng.int(0, 1) / 100 + (fastMove ? p.makerFastMoveWiden : 0);
    for (let level = 0; level < p.makerLevels; level++) {
      const size = this.rng.int(p.makerSizeMin, Math.max(p.makerSizeMin, p.makerSizeMax));
      const up = onTick(center - half - level * 0.01);
      const down = onTick(1 - center - half - level * 0.01);
      const order = (tokenId: string, price: number): VOrderRequest => ({
        owner,
        tokenId,
        side: 'BUY',
        price,
        size,
        orderType: 'GTC',
        postOnly: true,
        expirationS: 0,
      });
      if (up > 0.01) w.place(order(m.tokenUp, up));
      if (down > 0.01) w.place(order(m.tokenDown, down));
    }
  }
}
