// The run summary printed on exit as `{"summary":{...}}`: a pure fold over the bot's events.
import type { BotEvent, MarketIdentity } from '../domain/index.js';
import { endedLongAgo, midOf } from '../domain/index.js';
import { withEntry, without } from '../domain/maps.js';
import { feeCurveOf, fillFeeUsdc, makerRebateUsdc } from '../quant/index.js';

export interface RunSummary {
  readonly markets: number;
  readonly orders_posted: number;
  readonly orders_cancelled: number;
  readonly fills: number;
  readonly volume_usdc: number;
  readonly pnl_usdc: number;
  readonly max_unpaired_shares: number;
  readonly live_orders_at_exit: number;
  readonly orders_after_cutoff: number;
  readonly heartbeat_failures: number;
  /** Merges and redemptions completed on chain. */
  readonly merges: number;
  readonly redemptions: number;
  /** Of the resolved markets: cash out − cash in (fees paid, estimated rebates, merges and redemptions included; unredeemed winning shares at 1). */
  readonly realized_pnl_usdc: number;
  /** Taker fees paid, and maker rebates estimated from the fee schedule's rebateRate. */
  readonly fees_usdc: number;
  readonly rebates_usdc: number;
}

export interface SummaryState {
  readonly markets: ReadonlyMap<string, MarketIdentity>;
  readonly quoted: ReadonlySet<string>;
  /** Signed unpaired shares (up - down) per market. */
  readonly unpaired: ReadonlyMap<string, number>;
  readonly ordersPosted: number;
  readonly ordersCancelled: number;
  readonly fills: number;
  readonly volumeUsdc: number;
  readonly maxUnpaired: number;
  readonly ordersAfterCutoff: number;
  readonly heartbeatFailures: number;
  /** Cash flow from fills (buys negative), taker fees and merges, in USDC. */
  readonly cashUsdc: number;
  /** Shares held per market. */
  readonly holdings: ReadonlyMap<string, { readonly up: number; readonly down: number }>;
  /** Latest mark per token of a market not yet resolved: mid of its book (a resolved market is valued by its winner). */
  readonly marks: ReadonlyMap<string, number>;
  readonly feesUsdc: number;
  readonly rebatesUsdc: number;
  readonly merges: number;
  readonly redemptions: number;
  /** Cash flow per market (fills, fees, estimated rebates, merges, redemptions), for realized PnL. */
  readonly marketCash: ReadonlyMap<string, number>;
  readonly winners: ReadonlyMap<string, 'up' | 'down'>;
  /** Realized PnL of the markets let go (resolved, nothing held, ended over ENDED_MARKET_KEPT_MS ago). */
  readonly realizedGoneUsdc: number;
}

export const EMPTY_SUMMARY: SummaryState = {
  markets: new Map(),
  quoted: new Set(),
  unpaired: new Map(),
  ordersPosted: 0,
  ordersCancelled: 0,
  fills: 0,
  volumeUsdc: 0,
  maxUnpaired: 0,
  ordersAfterCutoff: 0,
  heartbeatFailures: 0,
  cashUsdc: 0,
  holdings: new Map(),
  marks: new Map(),
  feesUsdc: 0,
  rebatesUsdc: 0,
  merges: 0,
  redemptions: 0,
  marketCash: new Map(),
  winners: new Map(),
  realizedGoneUsdc: 0,
};

// A market that holds nothing leaves the summary's maps ENDED_MARKET_KEPT_MS after its end: its book
// marks, and once resolved the whole market, its realized PnL kept as a total. The maps are copied on
// every book event (marks) and fill: kept for every market ever seen, a month's run (~2,900 markets)
// spent ~1 ms on each book event and ~0.3 ms on each fill (bench/longRun.ts).

const isFlat = (held: { readonly up: number; readonly down: number } | undefined): boolean =>
  !held || (Math.abs(held.up) < 1e-9 && Math.abs(held.down) < 1e-9);

/** The summary without the marks of markets ended long ago that hold nothing, and without those markets once resolved. */
function letGoEnded(s: SummaryState, nowMs: number): SummaryState {
  const tokens: string[] = [];
  const gone: string[] = [];
  for (const [id, m] of s.markets) {
    if (!endedLongAgo(m.endMs, nowMs) || !isFlat(s.holdings.get(id))) continue;
    tokens.push(m.tokenUp, m.tokenDown);
    if (s.winners.has(id)) gone.push(id);
  }
  if (tokens.length === 0) return s;
  let realizedGoneUsdc = s.realizedGoneUsdc;
  for (const id of gone) realizedGoneUsdc += s.marketCash.get(id) ?? 0;
  return {
    ...s,
    marks: without(s.marks, tokens),
    markets: without(s.markets, gone),
    holdings: without(s.holdings, gone),
    marketCash: without(s.marketCash, gone),
    unpaired: without(s.unpaired, gone),
    winners: without(s.winners, gone),
    realizedGoneUsdc,
  };
}

export function foldSummary(s: SummaryState, ev: BotEvent, cutoffMs: number): SummaryState {
  switch (ev.kind) {
    case 'market': {
      const m = ev.market;
      // A new market is the time to let go of the ended ones, so that the maps copied on each book
      // event and fill stay a handful.
      const t = s.markets.has(m.conditionId) ? s : letGoEnded(s, ev.tsMs);
      const markets = withEntry(t.markets, m.conditionId, m);
      if (m.winner === undefined) return { ...t, markets };
      // A resolved market is valued by its winner: its book marks go.
      return {
        ...t,
        markets,
        marks: without(t.marks, [m.tokenUp, m.tokenDown]),
        winners: withEntry(t.winners, m.conditionId, m.winner),
      };
    }
    case 'marketResolved': {
      const m = s.markets.get(ev.conditionId);
      if (!m) return s;
      return {
        ...s,
        marks: without(s.marks, [m.tokenUp, m.tokenDown]),
        winners: withEntry(s.winners, ev.conditionId, ev.winningTokenId === m.tokenUp ? 'up' : 'down'),
      };
    }
    case 'book': {
      const mid = midOf(ev.book);
      if (mid === undefined || ev.book.stale || s.winners.has(ev.conditionId)) return s;
      return { ...s, marks: withEntry(s.marks, ev.book.tokenId, mid) };
    }
    case 'decision':
      return ev.desired.orders.length > 0 && !s.quoted.has(ev.desired.conditionId)
        ? { ...s, quoted: new Set([...s.quoted, ev.desired.conditionId]) }
        : s;
    case 'fill': {
      const { fill } = ev;
      const sign = ev.reversal ? -1 : 1;
      const dir = fill.side === 'BUY' ? 1 : -1;
      const market = s.markets.get(fill.conditionId);
      const outcome = fill.outcome ?? (market && fill.tokenId === market.tokenDown ? 'down' : 'up');
      const delta = sign * dir * fill.size * (outcome === 'up' ? 1 : -1);
      const unpaired = (s.unpaired.get(fill.conditionId) ?? 0) + delta;
      const held = s.holdings.get(fill.conditionId) ?? { up: 0, down: 0 };
      const shares = sign * dir * fill.size;
      const fee = fillFeeUsdc(fill, market?.feeSchedule);
      const rebate =
        fill.role === 'MAKER' && market
          ? makerRebateUsdc(fill.size, fill.price, feeCurveOf(market.feeSchedule), market.feeSchedule.rebateRate)
          : 0;
      return {
        ...s,
        feesUsdc: s.feesUsdc + sign * fee,
        rebatesUsdc: s.rebatesUsdc + sign * rebate,
        marketCash: withEntry(
          s.marketCash,
          fill.conditionId,
          (s.marketCash.get(fill.conditionId) ?? 0) - shares * fill.price - sign * fee + sign * rebate,
        ),
        cashUsdc: s.cashUsdc - shares * fill.price - sign * fee,
        holdings: withEntry(s.holdings, fill.conditionId, { ...held, [outcome]: held[outcome] + shares }),
        fills: s.fills + sign,
        volumeUsdc: s.volumeUsdc + sign * fill.price * fill.size,
        unpaired: withEntry(s.unpaired, fill.conditionId, unpaired),
        maxUnpaired: Math.max(s.maxUnpaired, Math.abs(unpaired)),
      };
    }
    case 'execution': {
      if (!ev.ok) return s;
      if (ev.action === 'post' || ev.action === 'taker') {
        const market = s.markets.get(ev.conditionId);
        const late = ev.action === 'post' && market !== undefined && ev.tsMs >= market.endMs - cutoffMs;
        return { ...s, ordersPosted: s.ordersPosted + 1, ordersAfterCutoff: s.ordersAfterCutoff + (late ? 1 : 0) };
      }
      if (ev.action === 'cancel') return { ...s, ordersCancelled: s.ordersCancelled + 1 };
      if (ev.action === 'merge' && ev.size !== undefined) {
        const held = s.holdings.get(ev.conditionId) ?? { up: 0, down: 0 };
        return {
          ...s,
          cashUsdc: s.cashUsdc + ev.size,
          holdings: withEntry(s.holdings, ev.conditionId, { up: held.up - ev.size, down: held.down - ev.size }),
        };
      }
      return s;
    }
    case 'heartbeat':
      return ev.ok ? s : { ...s, heartbeatFailures: s.heartbeatFailures + 1 };
    case 'inventoryOp': {
      if (ev.phase !== 'done') return s;
      const paid = ev.proceedsUsdc ?? 0;
      const held = s.holdings.get(ev.conditionId) ?? { up: 0, down: 0 };
      // A merge pays 1 a set and spends one of each; a redemption pays the winners and empties the market.
      const after = ev.action === 'merge' ? { up: held.up - paid, down: held.down - paid } : { up: 0, down: 0 };
      const counted = ev.action === 'merge' ? { merges: s.merges + 1 } : { redemptions: s.redemptions + 1 };
      return {
        ...s,
        ...counted,
        cashUsdc: s.cashUsdc + paid,
        holdings: withEntry(s.holdings, ev.conditionId, after),
        marketCash: withEntry(s.marketCash, ev.conditionId, (s.marketCash.get(ev.conditionId) ?? 0) + paid),
      };
    }
    default:
      return s;
  }
}

/** Cash plus holdings at their marks: 1/0 once resolved, else the book's mid (never marked: 0, conservative). */
export function pnlOf(s: SummaryState): number {
  let value = s.cashUsdc;
  for (const [id, held] of s.holdings) {
    const m = s.markets.get(id);
    if (!m) continue;
    const winner = s.winners.get(id);
    const up = winner ? (winner === 'up' ? 1 : 0) : (s.marks.get(m.tokenUp) ?? 0);
    const down = winner ? (winner === 'down' ? 1 : 0) : (s.marks.get(m.tokenDown) ?? 0);
    value += held.up * up + held.down * down;
  }
  return value;
}

/** Of the resolved markets: their cash flow plus the winning shares still held (at 1). */
export function realizedOf(s: SummaryState): number {
  let total = s.realizedGoneUsdc;
  for (const [id, winner] of s.winners) {
    if (!s.marketCash.has(id)) continue;
    total += s.marketCash.get(id)! + Math.max(0, s.holdings.get(id)?.[winner] ?? 0);
  }
  return total;
}

export function toRunSummary(s: SummaryState, atExit: { liveOrders: number; pnlUsdc?: number }): RunSummary {
  const round = (x: number): number => Math.round(x * 1e4) / 1e4;
  return {
    markets: s.quoted.size,
    orders_posted: s.ordersPosted,
    orders_cancelled: s.ordersCancelled,
    fills: s.fills,
    volume_usdc: round(s.volumeUsdc),
    pnl_usdc: round(atExit.pnlUsdc ?? pnlOf(s)),
    max_unpaired_shares: round(s.maxUnpaired),
    live_orders_at_exit: atExit.liveOrders,
    orders_after_cutoff: s.ordersAfterCutoff,
    heartbeat_failures: s.heartbeatFailures,
    merges: s.merges,
    redemptions: s.redemptions,
    realized_pnl_usdc: round(realizedOf(s)),
    fees_usdc: round(s.feesUsdc),
    rebates_usdc: round(s.rebatesUsdc),
  };
}
