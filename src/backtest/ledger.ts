// What happened to the backtest's account, from the venue's own trades (the ground truth, not the
// bot's view of it): fills, cost, fees, rebates, holdings per market, markouts of maker fills
// against the book mid 1 s / 5 s / 30 s later and against the outcome, and the Brier score of the
// bot's q_up sampled each minute.
import type { VenueCore, VenueEvent, VMarket, VTrade } from '@polymm/venue/in-process';

export const MARKOUT_HORIZONS_S = [1, 5, 30] as const;

export interface MarketBook {
  readonly slug: string;
  readonly startMs: number;
  readonly endMs: number;
  up: number;
  down: number;
  /** USDC paid for shares (fees apart). */
  cost: number;
  fees: number;
  rebates: number;
  fills: number;
  maxUnpaired: number;
  winner?: 'Up' | 'Down';
  /** q_up samples (each minute while the market runs). */
  readonly qUpSamples: number[];
}

interface PendingMarkout {
  readonly dueMs: number;
  readonly horizon: number;
  readonly conditionId: string;
  readonly outcome: 'Up' | 'Down';
  readonly tokenId: string;
  readonly price: number;
  readonly size: number;
}

export class Ledger {
  readonly markets = new Map<string, MarketBook>();
  /** Maker fills aggregated per market and outcome (shares, price × shares): the settle markout needs no more, and a day of fills stays a few numbers a market. */
  private readonly makerFills = new Map<
    string,
    { conditionId: string; outcome: 'Up' | 'Down'; size: number; notional: number }
  >();
  private pending: PendingMarkout[] = [];
  private readonly markoutSum = MARKOUT_HORIZONS_S.map(() => 0);
  private readonly markoutShares = MARKOUT_HORIZONS_S.map(() => 0);
  private readonly lastMid = new Map<string, number>();
  private readonly qUp = new Map<string, number>();
  private nextBrierMs: number;
  maxUnpaired = 0;

  constructor(
    private readonly core: VenueCore,
    private readonly owner: string,
    /** Only markets starting in [fromMs, toMs) are reported. */
    private readonly fromMs: number,
    private readonly toMs: number,
    /** q_up sampling period for the Brier score. */
    private readonly brierEveryMs = 60_000,
  ) {
    this.nextBrierMs = fromMs;
  }

  private bookOf(m: VMarket): MarketBook | undefined {
    if (m.startMs < this.fromMs || m.startMs >= this.toMs) return undefined;
    let b = this.markets.get(m.conditionId);
    if (!b) {
      b = {
        slug: m.slug,
        startMs: m.startMs,
        endMs: m.endMs,
        up: 0,
        down: 0,
        cost: 0,
        fees: 0,
        rebates: 0,
        fills: 0,
        maxUnpaired: 0,
        qUpSamples: [],
      };
      this.markets.set(m.conditionId, b);
    }
    return b;
  }

  /** Venue events as they are drained (before the sockets see them). */
  observeVenue(events: readonly VenueEvent[]): void {
    for (const ev of events) {
      if (ev.type === 'trade' && ev.trade.status === 'MATCHED') this.onTrade(ev.trade);
      else if (ev.type === 'marketResolved') {
        const b = this.bookOf(ev.market);
        if (b && ev.market.winner) b.winner = ev.market.winner;
      }
    }
  }

  /** The bot's latest q_up per market (its alpha events). */
  observeQUp(conditionId: string, qUp: number): void {
    this.qUp.set(conditionId, qUp);
  }

  private onTrade(t: VTrade): void {
    const m = this.core.marketByCondition(t.conditionId);
    const b = m && this.bookOf(m);
    if (!m || !b) return;
    const add = (outcome: 'Up' | 'Down', size: number, price: number): void => {
      if (outcome === 'Up') b.up += size;
      else b.down += size;
      b.cost += size * price;
      b.fills += 1;
      b.maxUnpaired = Math.max(b.maxUnpaired, Math.abs(b.up - b.down));
      this.maxUnpaired = Math.max(this.maxUnpaired, b.maxUnpaired);
    };
    if (t.takerOwner === this.owner) {
      // A taker's price per maker fill: the maker's own price for the same token, else its complement.
      for (const mk of t.makers) add(t.outcome, mk.matchedAmount, mk.outcome === t.outcome ? mk.price : 1 - mk.price);
      b.fees += t.feeUsdc;
    }
    for (const mk of t.makers) {
      if (mk.owner !== this.owner) continue;
      add(mk.outcome, mk.matchedAmount, mk.price);
      b.rebates += t.size > 0 ? (t.feeUsdc * m.feeSchedule.rebateRate * mk.matchedAmount) / t.size : 0;
      const key = `${m.conditionId}:${mk.outcome}`;
      const agg = this.makerFills.get(key) ?? { conditionId: m.conditionId, outcome: mk.outcome, size: 0, notional: 0 };
      agg.size += mk.matchedAmount;
      agg.notional += mk.price * mk.matchedAmount;
      this.makerFills.set(key, agg);
      MARKOUT_HORIZONS_S.forEach((h, i) =>
        this.pending.push({
          dueMs: t.matchMs + h * 1000,
          horizon: i,
          conditionId: m.conditionId,
          outcome: mk.outcome,
          tokenId: mk.tokenId,
          price: mk.price,
          size: mk.matchedAmount,
        }),
      );
    }
  }

  private midOf(tokenId: string): number | undefined {
    const book = this.core.book(tokenId);
    const bid = book?.bids[0]?.price;
    const ask = book?.asks[0]?.price;
    if (bid !== undefined && ask !== undefined) this.lastMid.set(tokenId, (bid + ask) / 2);
    return this.lastMid.get(tokenId);
  }

  /** Called as virtual time moves: due markouts, Brier samples. */
  onTime(nowMs: number): void {
    if (this.pending.length > 0) {
      const due = this.pending.filter((p) => p.dueMs <= nowMs);
      if (due.length > 0) {
        this.pending = this.pending.filter((p) => p.dueMs > nowMs);
        for (const p of due) {
          // After the market closed its book is gone: the outcome, once known, is the fair value.
          const winner = this.markets.get(p.conditionId)?.winner;
          const fair = winner ? (winner === p.outcome ? 1 : 0) : this.midOf(p.tokenId);
          if (fair === undefined) continue;
          this.markoutSum[p.horizon]! += (fair - p.price) * p.size;
          this.markoutShares[p.horizon]! += p.size;
        }
      }
    }
    while (nowMs >= this.nextBrierMs) {
      for (const m of this.core.markets()) if (m.status === 'open') this.bookOf(m);
      for (const [id, b] of this.markets) {
        const q = this.qUp.get(id);
        if (q !== undefined && this.nextBrierMs >= b.startMs && this.nextBrierMs < b.endMs) b.qUpSamples.push(q);
      }
      this.nextBrierMs += this.brierEveryMs;
    }
  }

  /** Each horizon's markout summed over the shares it covers (and the shares), and the same against the outcome. */
  markoutTotals(): MarkoutTotals {
    let settleSum = 0;
    let settleShares = 0;
    for (const f of this.makerFills.values()) {
      const winner = this.markets.get(f.conditionId)?.winner;
      if (!winner) continue;
      settleSum += (winner === f.outcome ? 1 : 0) * f.size - f.notional;
      settleShares += f.size;
    }
    return { sum: [...this.markoutSum], shares: [...this.markoutShares], settleSum, settleShares };
  }

  /** Average per share of each horizon's markout, and against the outcome. */
  markouts(): { horizons: number[]; settle: number } {
    return markoutAverages(this.markoutTotals());
  }

  /** A market's PnL: winning shares pay 1 (unresolved holdings count at their last mid). */
  pnlOf(id: string): number {
    const b = this.markets.get(id)!;
    const m = this.core.marketByCondition(id);
    const value = (outcome: 'Up' | 'Down', shares: number, tokenId: string | undefined): number =>
      shares * (b.winner ? (b.winner === outcome ? 1 : 0) : tokenId ? (this.midOf(tokenId) ?? 0) : 0);
    return value('Up', b.up, m?.tokenUp) + value('Down', b.down, m?.tokenDown) - b.cost - b.fees + b.rebates;
  }

  /** (q_up − outcome)² summed over the q_up samples of resolved markets, and how many. */
  brierTotals(): { sum: number; n: number } {
    let sum = 0;
    let n = 0;
    for (const b of this.markets.values()) {
      if (!b.winner) continue;
      const o = b.winner === 'Up' ? 1 : 0;
      for (const q of b.qUpSamples) {
        sum += (q - o) ** 2;
        n += 1;
      }
    }
    return { sum, n };
  }
}

export interface MarkoutTotals {
  readonly sum: readonly number[];
  readonly shares: readonly number[];
  readonly settleSum: number;
  readonly settleShares: number;
}

/** Averages per share from markout totals (0 where no share was marked). */
export function markoutAverages(t: MarkoutTotals): { horizons: number[]; settle: number } {
  return {
    horizons: MARKOUT_HORIZONS_S.map((_, i) => (t.shares[i]! > 0 ? t.sum[i]! / t.shares[i]! : 0)),
    settle: t.settleShares > 0 ? t.settleSum / t.settleShares : 0,
  };
}
