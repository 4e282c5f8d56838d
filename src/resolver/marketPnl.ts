// Per-market PnL from the event log (pure): what each ended market earned, from our fills (FAILED ones
// excluded), taker fees, maker rebates estimated from the fee schedule's rebateRate, merges and the
// redemption on chain. Realized once the market is resolved: then PnL = cash out − cash in; shares
// still held and not yet redeemed count at their payout (1 for the winner, 0 for the loser).
import type { BotEvent, Fill, MarketIdentity, Outcome } from '../domain/index.js';
import { feeCurveOf, fillFeeUsdc, makerRebateUsdc } from '../quant/index.js';

export interface MarketPnl {
  readonly conditionId: string;
  readonly slug: string;
  readonly endMs: number;
  readonly winner?: Outcome;
  readonly fills: number;
  readonly boughtUsdc: number;
  readonly soldUsdc: number;
  /** Paired shares times (1 − the pair's average cost): the edge of the full sets bought. */
  readonly spreadCapturedUsdc: number;
  readonly mergeProceedsUsdc: number;
  readonly redemptionUsdc: number;
  readonly feesUsdc: number;
  readonly rebatesUsdc: number;
  /** Held now (after merges; zero once redeemed). */
  readonly up: number;
  readonly down: number;
  readonly merges: number;
  readonly redemptions: number;
  /** Defined once resolved. */
  readonly realizedPnlUsdc?: number;
}

interface Acc {
  market?: MarketIdentity;
  winner?: Outcome;
  fills: Map<string, Fill>;
  merges: number;
  mergedSets: number;
  mergeProceeds: number;
  redemptions: number;
  redemption: number;
}

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function summarize(id: string, a: Acc): MarketPnl {
  const m = a.market;
  let bought = 0,
    sold = 0,
    fees = 0,
    rebates = 0,
    up = 0,
    down = 0,
    costUp = 0,
    costDown = 0,
    upBought = 0,
    downBought = 0;
  for (const f of a.fills.values()) {
    const cash = f.price * f.size;
    if (f.side === 'BUY') bought += cash;
    else sold += cash;
    const sign = f.side === 'BUY' ? 1 : -1;
    if (f.outcome === 'up') up += sign * f.size;
    if (f.outcome === 'down') down += sign * f.size;
    if (f.side === 'BUY' && f.outcome === 'up') {
      costUp += cash;
      upBought += f.size;
    }
    if (f.side === 'BUY' && f.outcome === 'down') {
      costDown += cash;
      downBought += f.size;
    }
    fees += fillFeeUsdc(f, m?.feeSchedule);
    if (f.role === 'MAKER' && m?.feeSchedule)
      rebates += makerRebateUsdc(f.size, f.price, feeCurveOf(m.feeSchedule), m.feeSchedule.rebateRate);
  }
  const paired = Math.min(upBought, downBought);
  const pairCost = paired > 0 ? costUp / upBought + costDown / downBought : 0;
  up = Math.max(0, up - a.mergedSets);
  down = Math.max(0, down - a.mergedSets);
  if (a.redemptions > 0) up = down = 0;
  const winner = a.winner ?? m?.winner;
  const held = winner === 'up' ? up : winner === 'down' ? down : 0;
  const realized =
    winner === undefined ? undefined : r6(sold - bought - fees + rebates + a.mergeProceeds + a.redemption + held);
  return {
    conditionId: id,
    slug: m?.slug ?? id,
    endMs: m?.endMs ?? 0,
    ...(winner ? { winner } : {}),
    fills: a.fills.size,
    boughtUsdc: r6(bought),
    soldUsdc: r6(sold),
    spreadCapturedUsdc: r6(paired * (1 - pairCost)),
    mergeProceedsUsdc: r6(a.mergeProceeds),
    redemptionUsdc: r6(a.redemption),
    feesUsdc: r6(fees),
    rebatesUsdc: r6(rebates),
    up: r6(up),
    down: r6(down),
    merges: a.merges,
    redemptions: a.redemptions,
    ...(realized !== undefined ? { realizedPnlUsdc: realized } : {}),
  };
}

/** Fold the events into one PnL row per market we traded, oldest end first. */
export function marketPnls(events: Iterable<BotEvent>): MarketPnl[] {
  const acc = new Map<string, Acc>();
  const of = (id: string): Acc => {
    let a = acc.get(id);
    if (!a)
      acc.set(
        id,
        (a = { fills: new Map(), merges: 0, mergedSets: 0, mergeProceeds: 0, redemptions: 0, redemption: 0 }),
      );
    return a;
  };
  const markets = new Map<string, MarketIdentity>();
  for (const ev of events) {
    if (ev.kind === 'market') {
      markets.set(ev.market.conditionId, ev.market);
      const a = acc.get(ev.market.conditionId);
      if (a) a.market = ev.market;
    } else if (ev.kind === 'fill' || ev.kind === 'tradeStatus') {
      const a = of(ev.fill.conditionId);
      a.market ??= markets.get(ev.fill.conditionId);
      const key = `${ev.fill.tradeId}:${ev.fill.orderId}`;
      if (ev.kind === 'fill' && ev.reversal) a.fills.delete(key);
      else if (ev.kind === 'fill' || a.fills.has(key)) a.fills.set(key, ev.fill);
    } else if (ev.kind === 'marketResolved') {
      const a = acc.get(ev.conditionId);
      const m = markets.get(ev.conditionId);
      if (a) a.winner = ev.winner ?? (m ? (ev.winningTokenId === m.tokenUp ? 'up' : 'down') : undefined);
    } else if (ev.kind === 'inventoryOp' && ev.phase === 'done') {
      const a = of(ev.conditionId);
      a.market ??= markets.get(ev.conditionId);
      // A merge pays 1 USDC a set: its proceeds are the sets merged.
      const paid = ev.proceedsUsdc ?? 0;
      if (ev.action === 'merge') {
        a.merges += 1;
        a.mergedSets += paid;
        a.mergeProceeds += paid;
      } else {
        a.redemptions += 1;
        a.redemption += paid;
      }
    }
  }
  return [...acc.entries()]
    .map(([id, a]) => summarize(id, a))
    .sort((x, y) => x.endMs - y.endMs || x.conditionId.localeCompare(y.conditionId));
}

export interface PnlTotals {
  readonly markets: number;
  readonly merges: number;
  readonly redemptions: number;
  readonly realized_pnl_usdc: number;
  readonly fees_usdc: number;
  readonly rebates_usdc: number;
}

export function pnlTotals(rows: readonly MarketPnl[]): PnlTotals {
  const sum = (f: (r: MarketPnl) => number): number => r6(rows.reduce((s, r) => s + f(r), 0));
  return {
    markets: rows.length,
    merges: sum((r) => r.merges),
    redemptions: sum((r) => r.redemptions),
    realized_pnl_usdc: sum((r) => r.realizedPnlUsdc ?? 0),
    fees_usdc: sum((r) => r.feesUsdc),
    rebates_usdc: sum((r) => r.rebatesUsdc),
  };
}
