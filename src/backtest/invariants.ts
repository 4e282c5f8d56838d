// The safety invariants, checked on what the bot decided and sent during a backtest: every breach
// is counted by kind. A correct strategy and sink never breach; a broken one shows up here.
import type { BotEvent, DesiredOrder, MarketIdentity } from '../domain/index.js';

export type BreachKind =
  'off_grid' | 'out_of_range' | 'below_min_size' | 'above_cap' | 'combined_over_target' | 'after_cutoff' | 'after_stop';

const EPS = 1e-9;

export interface InvariantOptions {
  readonly cutoffMs: number;
  /** Check quotes against the model's caps and combined target (the spec strategy's contract). */
  readonly modelCaps: boolean;
  /** Combined bid limit for strategies without a model (baselines). */
  readonly combinedLimit: number;
}

export class InvariantChecker {
  readonly breaches = new Map<BreachKind, number>();
  private readonly markets = new Map<string, MarketIdentity>();
  private readonly caps = new Map<string, { capUp: number; capDown: number; targetTotal: number }>();
  private stoppedAtMs = Infinity;

  constructor(private readonly opts: InvariantOptions) {}

  get total(): number {
    let n = 0;
    for (const v of this.breaches.values()) n += v;
    return n;
  }

  private breach(kind: BreachKind): void {
    this.breaches.set(kind, (this.breaches.get(kind) ?? 0) + 1);
  }

  stopped(atMs: number): void {
    this.stoppedAtMs = atMs;
  }

  observe(ev: BotEvent): void {
    switch (ev.kind) {
      case 'market':
        this.markets.set(ev.market.conditionId, ev.market);
        return;
      case 'alpha':
        this.caps.set(ev.conditionId, { capUp: ev.capUp, capDown: ev.capDown, targetTotal: ev.targetTotal });
        return;
      case 'decision':
        return this.checkDesired(ev.desired.conditionId, ev.desired.orders);
      case 'execution': {
        if (!ev.ok || (ev.action !== 'post' && ev.action !== 'taker')) return;
        if (ev.tsMs >= this.stoppedAtMs) this.breach('after_stop');
        const m = this.markets.get(ev.conditionId);
        if (!m || ev.action !== 'post') return;
        if (ev.tsMs >= m.endMs - this.opts.cutoffMs) this.breach('after_cutoff');
        if (ev.price !== undefined) this.checkPrice(m, ev.price);
        if (ev.size !== undefined && ev.size < m.minSize - EPS) this.breach('below_min_size');
        return;
      }
      default:
        return;
    }
  }

  private checkPrice(m: MarketIdentity, price: number): void {
    const t = m.tickSize;
    if (Math.abs(price / t - Math.round(price / t)) > 1e-6) this.breach('off_grid');
    if (price < t - EPS || price > 1 - t + EPS) this.breach('out_of_range');
  }

  private checkDesired(conditionId: string, orders: readonly DesiredOrder[]): void {
    if (orders.length === 0) return;
    const best = (outcome: string): number =>
      Math.max(0, ...orders.filter((o) => o.outcome === outcome).map((o) => o.price));
    const combined = best('up') + best('down');
    const hasBoth = orders.some((o) => o.outcome === 'up') && orders.some((o) => o.outcome === 'down');
    const caps = this.caps.get(conditionId);
    if (this.opts.modelCaps && caps) {
      for (const o of orders)
        if (o.price > (o.outcome === 'up' ? caps.capUp : caps.capDown) + EPS) this.breach('above_cap');
      if (hasBoth && combined > caps.targetTotal + EPS) this.breach('combined_over_target');
    } else if (!this.opts.modelCaps && hasBoth && combined > this.opts.combinedLimit + EPS)
      this.breach('combined_over_target');
  }
}
