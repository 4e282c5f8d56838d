// The run summary printed on exit as `{"summary":{...}}`: a pure fold over the bot's events.
import type { BotEvent, MarketIdentity } from '../domain/index.js';

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
};

function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): Map<K, V> {
  const next = new Map(map);
  next.set(key, value);
  return next;
}

export function foldSummary(s: SummaryState, ev: BotEvent, cutoffMs: number): SummaryState {
  switch (ev.kind) {
    case 'market':
      return { ...s, markets: withEntry(s.markets, ev.market.conditionId, ev.market) };
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
      return {
        ...s,
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
      return s;
    }
    case 'heartbeat':
      return ev.ok ? s : { ...s, heartbeatFailures: s.heartbeatFailures + 1 };
    default:
      return s;
  }
}

export function toRunSummary(s: SummaryState, atExit: { pnlUsdc: number; liveOrders: number }): RunSummary {
  const round = (x: number): number => Math.round(x * 1e4) / 1e4;
  return {
    markets: s.quoted.size,
    orders_posted: s.ordersPosted,
    orders_cancelled: s.ordersCancelled,
    fills: s.fills,
    volume_usdc: round(s.volumeUsdc),
    pnl_usdc: round(atExit.pnlUsdc),
    max_unpaired_shares: round(s.maxUnpaired),
    live_orders_at_exit: atExit.liveOrders,
    orders_after_cutoff: s.ordersAfterCutoff,
    heartbeat_failures: s.heartbeatFailures,
  };
}
