// One market's order book in Up terms. A binary market has one book: buying Down at q is selling
// Up at 1 - q (a mint when it meets an Up buyer), selling Down at q is buying Up at 1 - q (a merge
// when it meets an Up seller). Levels are arrays indexed by price in ticks, each a FIFO queue.
import type { VOrderType, VOutcome, VSide } from './types.js';

export interface RestingOrder {
  readonly id: string;
  readonly owner: string;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly outcome: VOutcome;
  readonly side: VSide;
  /** Price in the order's own token. */
  readonly price: number;
  /** Price in Up ticks, and which side of the Up book it rests on. */
  readonly upTicks: number;
  readonly isBid: boolean;
  readonly originalSize: number;
  sizeMatched: number;
  readonly orderType: VOrderType;
  status: 'LIVE' | 'MATCHED' | 'CANCELED';
  readonly createdMs: number;
  readonly expirationS: number;
}

export const remaining = (o: RestingOrder): number => Math.round((o.originalSize - o.sizeMatched) * 1e6) / 1e6;

export class UnifiedBook {
  readonly bids: RestingOrder[][];
  readonly asks: RestingOrder[][];
  /**
   * Changed levels since the last drain, in the order first changed: key = (isBid ? 1 : -1) * ticks.
   * An array and a mark per level, not a Set: Set.clear() allocates a new table, and the drain runs
   * on every book action (it was most of flushBook's time in a backtest profile).
   */
  private readonly touchedKeys: number[] = [];
  private readonly touchedMark: Uint8Array;
  /** Remaining size per level, kept in step with the queues (no per-query summing). */
  private readonly bidSize: Float64Array;
  private readonly askSize: Float64Array;
  /** Cancelled orders still sitting in each level's queue (removed lazily). */
  private readonly bidDead: Int32Array;
  private readonly askDead: Int32Array;

  constructor(readonly ticks: number) {
    this.bids = Array.from({ length: ticks }, () => []);
    this.asks = Array.from({ length: ticks }, () => []);
    this.bidSize = new Float64Array(ticks);
    this.askSize = new Float64Array(ticks);
    this.bidDead = new Int32Array(ticks);
    this.askDead = new Int32Array(ticks);
    this.touchedMark = new Uint8Array(2 * ticks);
  }

  /** The levels changed since the last call (in the order first changed), forgetting them. */
  drainTouched(): number[] {
    const keys = this.touchedKeys.splice(0);
    for (const k of keys) this.touchedMark[k + this.ticks] = 0;
    return keys;
  }

  get touchedCount(): number {
    return this.touchedKeys.length;
  }

  add(o: RestingOrder): void {
    (o.isBid ? this.bids : this.asks)[o.upTicks]!.push(o);
    this.resize(o.isBid, o.upTicks, remaining(o));
  }

  /**
   * Take a cancelled order out of its level. Removal is lazy (the caller marks it not LIVE; the
   * matcher skips and drops such orders); a level is compacted once most of its queue is dead.
   */
  remove(o: RestingOrder): void {
    const queues = o.isBid ? this.bids : this.asks;
    const dead = o.isBid ? this.bidDead : this.askDead;
    const n = o.upTicks;
    dead[n] = dead[n]! + 1;
    this.resize(o.isBid, n, -remaining(o));
    const level = queues[n]!;
    if (dead[n]! > 16 && dead[n]! * 2 > level.length) {
      queues[n] = level.filter((x) => x !== o && x.status === 'LIVE');
      dead[n] = 0;
    }
  }

  /** The matcher dropped a dead order from the front of a level. */
  dropDead(isBid: boolean, n: number): void {
    const dead = isBid ? this.bidDead : this.askDead;
    if (dead[n]! > 0) dead[n] = dead[n]! - 1;
  }

  /** Change a level's total by `delta` shares (fills call this for the maker's level). */
  resize(isBid: boolean, n: number, delta: number): void {
    const sizes = isBid ? this.bidSize : this.askSize;
    sizes[n] = Math.round((sizes[n]! + delta) * 1e6) / 1e6;
    const key = isBid ? n : -n;
    if (this.touchedMark[key + this.ticks] === 0) {
      this.touchedMark[key + this.ticks] = 1;
      this.touchedKeys.push(key);
    }
  }

  bestBid(): number | undefined {
    for (let n = this.ticks - 1; n >= 1; n--) if (this.bidSize[n]! > 0) return n;
    return undefined;
  }

  bestAsk(): number | undefined {
    for (let n = 1; n < this.ticks; n++) if (this.askSize[n]! > 0) return n;
    return undefined;
  }

  levelSize(isBid: boolean, n: number): number {
    return Math.round((isBid ? this.bidSize : this.askSize)[n]! * 100) / 100;
  }

  /** Volume available to a taker on the given side up to its limit (in Up ticks). */
  available(takerIsBid: boolean, limitTicks: number): number {
    let total = 0;
    if (takerIsBid) for (let n = 1; n <= limitTicks && n < this.ticks; n++) total += this.askSize[n]!;
    else for (let n = this.ticks - 1; n >= limitTicks && n >= 1; n--) total += this.bidSize[n]!;
    return total;
  }

  /**
   * What `spend` buys a taker, best level first up to its limit (in Up ticks), at `priceOf(level)`
   * a share: the shares, and the spend left when the levels run out.
   */
  buyWith(
    takerIsBid: boolean,
    limitTicks: number,
    spend: number,
    priceOf: (n: number) => number,
  ): { shares: number; unspent: number } {
    let shares = 0;
    let left = spend;
    const sizes = takerIsBid ? this.askSize : this.bidSize;
    const step = takerIsBid ? 1 : -1;
    for (let n = takerIsBid ? 1 : this.ticks - 1; left > 1e-9 && n >= 1 && n < this.ticks; n += step) {
      if (takerIsBid ? n > limitTicks : n < limitTicks) break;
      const size = sizes[n]!;
      if (size <= 0) continue;
      const p = priceOf(n);
      const take = Math.min(size, left / p);
      shares += take;
      left -= take * p;
    }
    return { shares, unspent: Math.max(0, left) };
  }

  /** Levels (Up terms) best first: [ticks, size][]. */
  levels(isBid: boolean): [number, number][] {
    const out: [number, number][] = [];
    if (isBid)
      for (let n = this.ticks - 1; n >= 1; n--) {
        const s = this.levelSize(true, n);
        if (s > 0) out.push([n, s]);
      }
    else
      for (let n = 1; n < this.ticks; n++) {
        const s = this.levelSize(false, n);
        if (s > 0) out.push([n, s]);
      }
    return out;
  }
}
