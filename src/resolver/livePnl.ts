// The per-market PnL as a live event: the events that make a market's PnL are kept per market while it
// runs (its latest market event, our fills and their statuses, its resolution, our settlement
// operations) and folded by the resolver's marketPnls once the market is settled; then dropped.
import { endedLongAgo, type BotEvent, type MarketPnlEvent } from '../domain/index.js';
import { marketPnls } from './marketPnl.js';

const conditionOf = (ev: BotEvent): string | undefined => {
  switch (ev.kind) {
    case 'market':
      return ev.market.conditionId;
    case 'fill':
    case 'tradeStatus':
      return ev.fill.conditionId;
    case 'marketResolved':
      return ev.conditionId;
    case 'inventoryOp':
      return ev.phase === 'done' ? ev.conditionId : undefined;
    default:
      return undefined;
  }
};

export class LivePnl {
  private readonly byMarket = new Map<string, BotEvent[]>();
  private readonly done = new Set<string>();
  private total = 0;

  /** Keep what a market's PnL needs (a repeated market event replaces the one kept). */
  record(ev: BotEvent): void {
    const id = conditionOf(ev);
    if (id === undefined || this.done.has(id)) return;
    const evs = this.byMarket.get(id) ?? [];
    if (ev.kind === 'market') {
      const i = evs.findIndex((e) => e.kind === 'market');
      if (i >= 0) evs.splice(i, 1);
      evs.unshift(ev); // first: the fills that follow find it
    } else evs.push(ev);
    if (ev.kind === 'market' && !this.byMarket.has(id)) this.forgetUntraded(ev.tsMs);
    this.byMarket.set(id, evs);
  }

  /**
   * A new market is the time to forget the ones ended over ENDED_MARKET_KEPT_MS ago without a fill of
   * ours: they have no PnL to report (kept, every market the bot ever saw stayed here, and in each
   * `traded()`). A fill reported late, within that time, still finds its market and resolution.
   */
  private forgetUntraded(nowMs: number): void {
    for (const [id, evs] of this.byMarket) {
      const m = evs[0]?.kind === 'market' ? evs[0].market : undefined;
      if (m && endedLongAgo(m.endMs, nowMs) && !evs.some((e) => e.kind === 'fill')) this.byMarket.delete(id);
    }
  }

  /** How many markets' events are kept (diagnostics). */
  kept(): number {
    return this.byMarket.size;
  }

  /** Markets we traded (a fill counted), not yet reported. */
  traded(): string[] {
    return [...this.byMarket].filter(([, evs]) => evs.some((e) => e.kind === 'fill')).map(([id]) => id);
  }

  /** The market's PnL event (once: then its events are dropped); undefined while it is not resolved. */
  settle(conditionId: string, tsMs: number): MarketPnlEvent | undefined {
    const row = marketPnls(this.byMarket.get(conditionId) ?? []).find((r) => r.conditionId === conditionId);
    if (!row || row.realizedPnlUsdc === undefined) return undefined;
    this.byMarket.delete(conditionId);
    this.done.add(conditionId);
    this.total = Math.round((this.total + row.realizedPnlUsdc) * 1e6) / 1e6;
    const {
      conditionId: id,
      slug,
      winner,
      fills,
      spreadCapturedUsdc,
      mergeProceedsUsdc,
      redemptionUsdc,
      feesUsdc,
      rebatesUsdc,
      merges,
      redemptions,
      realizedPnlUsdc,
    } = row;
    return {
      kind: 'marketPnl',
      tsMs,
      conditionId: id,
      slug,
      ...(winner ? { winner } : {}),
      fills,
      spreadCapturedUsdc,
      mergeProceedsUsdc,
      redemptionUsdc,
      feesUsdc,
      rebatesUsdc,
      merges,
      redemptions,
      realizedPnlUsdc,
      totalRealizedUsdc: this.total,
    };
  }
}
