// The BTC price process: seeded, stochastic volatility, jumps, the flash-crash move; the fast feed
// (Binance-like), the lagging oracle (Chainlink-like, ~1/s, 1-4 s behind: its lag wanders between
// the scenario's bounds) and PolyBolt's Pyth feed.
import type { Rng } from './rng.js';
import { JUMP_SD_PER_SIZE, volPerSqrtS, type ScenarioParams } from './scenarios.js';
import type { VPriceSource } from './types.js';

export const STEP_MS = 100;
const FAST_EVERY_MS = 200;
const ORACLE_EVERY_MS = 1_000;
const PYTH_EVERY_MS = 400;

export interface PriceTickOut {
  readonly source: VPriceSource;
  readonly symbol: string;
  readonly value: number;
  readonly tsMs: number;
}

export class PriceProcess {
  private logPrice: number;
  private logVolDev = 0;
  private t: number;
  private readonly history: { t: number; p: number }[] = [];
  private readonly last = new Map<VPriceSource, { value: number; tsMs: number }>();
  private oracleLagMs: number;
  /** Own stream for the lag, so the price path does not depend on the lag settings. */
  private readonly lagRng: Rng;
  /** How far back fast prices are kept (the oracle's and the makers' lagged views read them). */
  private readonly keepMs: number;

  constructor(
    private readonly rng: Rng,
    private readonly params: ScenarioParams,
    startMs: number,
    private readonly intervalMs: number,
    /** Phase of the market schedule (see VenueOptions.scheduleOriginMs): per-interval effects follow it. */
    private readonly originMs = 0,
    startPrice = 100_000,
  ) {
    this.oracleLagMs = (params.oracleLagMinMs + params.oracleLagMaxMs) / 2;
    this.lagRng = rng.fork(7);
    this.keepMs = Math.max(params.oracleLagMaxMs, 1.5 * params.makerLagMs) + 10_000;
    this.t = Math.floor(startMs / STEP_MS) * STEP_MS;
    this.logPrice = Math.log(startPrice);
    this.history.push({ t: this.t, p: this.fastPrice() });
  }

  /**
   * The flash-crash scenario's move within an interval (log units, 0 before it): a drop of
   * `flashCrash` over 10 s at 40 % of the interval, half of it recovered over the next minute.
   */
  private crashShape(t: number): number {
    const crash = this.params.flashCrash;
    const sinceOrigin = t - this.originMs;
    const phase = sinceOrigin - Math.floor(sinceOrigin / this.intervalMs) * this.intervalMs - 0.4 * this.intervalMs;
    if (phase < 0) return 0;
    if (phase < 10_000) return (-crash * phase) / 10_000;
    if (phase < 70_000) return -crash + (0.5 * crash * (phase - 10_000)) / 60_000;
    return -crash / 2;
  }

  /**
   * The crash's log move over one step, folded into the price: the level it leaves persists (the
   * next interval starts from it; no jump back at its start, where the price to beat is fixed).
   */
  private crashStep(from: number, to: number): number {
    if (!this.params.flashCrash) return 0;
    const sameInterval =
      Math.floor((from - this.originMs) / this.intervalMs) === Math.floor((to - this.originMs) / this.intervalMs);
    return this.crashShape(to) - (sameInterval ? this.crashShape(from) : 0);
  }

  fastPrice(): number {
    return Math.exp(this.logPrice);
  }

  now(): number {
    return this.t;
  }

  private oracleStalled(t: number): boolean {
    const { stallS, stallEveryS } = this.params;
    if (!stallS || !stallEveryS) return false;
    return t % (stallEveryS * 1000) >= (stallEveryS - stallS) * 1000;
  }

  /** The fast price as it was at `t` (the last step at or before it; the oldest kept if earlier). */
  fastPriceAt(t: number): number {
    const h = this.history;
    let lo = 0;
    let hi = h.length - 1;
    if (t >= h[hi]!.t) return h[hi]!.p;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (h[mid]!.t <= t) lo = mid;
      else hi = mid - 1;
    }
    return h[lo]!.p;
  }

  /** The oracle's lag wanders (about 0.2 s a tick) between its bounds. */
  private nextOracleLag(): number {
    const { oracleLagMinMs: lo, oracleLagMaxMs: hi } = this.params;
    let lag = this.oracleLagMs + 200 * this.lagRng.normal();
    if (lag < lo) lag = Math.min(hi, 2 * lo - lag);
    if (lag > hi) lag = Math.max(lo, 2 * hi - lag);
    this.oracleLagMs = lag;
    // On the fast feed's grid: each oracle value is one the fast feed published 1-4 s earlier.
    return Math.round(lag / FAST_EVERY_MS) * FAST_EVERY_MS;
  }

  /** Advance one step; returns the feed ticks published at the new time. */
  step(): PriceTickOut[] {
    const dtS = STEP_MS / 1000;
    const p = this.params;
    this.logVolDev += -0.01 * this.logVolDev * dtS + p.volOfVol * Math.sqrt(dtS) * this.rng.normal();
    const vol = volPerSqrtS(p.volAnnual) * Math.exp(this.logVolDev);
    const sign = Math.floor((this.t - this.originMs) / this.intervalMs) % 2 === 0 ? 1 : -1;
    let r = sign * p.driftPerS * dtS + vol * Math.sqrt(dtS) * this.rng.normal();
    if (p.jumpRate > 0 && this.rng.chance(p.jumpRate * dtS)) r += JUMP_SD_PER_SIZE * p.jumpSize * this.rng.normal();
    this.logPrice += r + this.crashStep(this.t, this.t + STEP_MS);
    this.t += STEP_MS;
    const fast = this.fastPrice();
    this.history.push({ t: this.t, p: fast });
    while (this.history.length > 2 && this.history[1]!.t < this.t - this.keepMs) this.history.shift();

    const out: PriceTickOut[] = [];
    const publish = (source: VPriceSource, symbol: string, value: number): void => {
      const rounded = Math.round(value * 1e8) / 1e8;
      this.last.set(source, { value: rounded, tsMs: this.t });
      out.push({ source, symbol, value: rounded, tsMs: this.t });
    };
    if (this.t % FAST_EVERY_MS === 0) publish('binance', 'btcusdt', fast);
    if (this.t % PYTH_EVERY_MS === 0) publish('pyth', 'btcusd', fast);
    if (this.t % ORACLE_EVERY_MS === 0 && !this.oracleStalled(this.t)) {
      publish('chainlink', 'btc/usd', this.fastPriceAt(this.t - this.nextOracleLag()));
    }
    return out;
  }

  lastPrice(source: VPriceSource): { value: number; tsMs: number } | undefined {
    return this.last.get(source);
  }
}
