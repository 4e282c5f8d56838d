// What `polymm status` shows: a pure fold over the bot's events (regime, q_up, latest quotes,
// halts, heartbeat), joined at request time with the run summary (inventory, PnL) and the venue's
// own list of our open orders. The running bot serves it as JSON on its local HTTP port.
import { endedLongAgo, type BotEvent, type DesiredOrder, type GlobalHalt } from '../domain/index.js';
import { without } from '../domain/maps.js';
import type { SummaryState } from './summary.js';

export interface MarketView {
  readonly regime?: string;
  readonly regimeReasons?: readonly string[];
  readonly qUp?: number;
  readonly targetTotal?: number;
  readonly quotes: readonly DesiredOrder[];
  readonly quoteReason?: string;
  /** The market's end, once its market event was seen (the view goes some time after it). */
  readonly endMs?: number;
}

export interface StatusFold {
  readonly markets: ReadonlyMap<string, MarketView>;
  readonly halts: readonly GlobalHalt[];
  readonly heartbeat: { readonly ok?: boolean; readonly lastAckMs?: number; readonly failures: number };
  readonly lastEventMs: number;
}

export const EMPTY_STATUS: StatusFold = { markets: new Map(), halts: [], heartbeat: { failures: 0 }, lastEventMs: 0 };

const withMarket = (s: StatusFold, id: string, f: (m: MarketView) => MarketView): StatusFold => ({
  ...s,
  markets: new Map(s.markets).set(id, f(s.markets.get(id) ?? { quotes: [] })),
});

/**
 * The views of markets ended over ENDED_MARKET_KEPT_MS before `nowMs` dropped (the same map when
 * none); the snapshot shows a market SHOW_AFTER_END_MS past its end. Kept for every market ever seen,
 * the views were copied on every alpha and decision event, ~150 µs each after a month's run.
 */
function pruneViews(views: ReadonlyMap<string, MarketView>, nowMs: number): ReadonlyMap<string, MarketView> {
  const ended = [...views].filter(([, v]) => v.endMs !== undefined && endedLongAgo(v.endMs, nowMs));
  const ids = ended.map(([id]) => id);
  return without(views, ids);
}

export function foldStatus(s: StatusFold, ev: BotEvent): StatusFold {
  const t = ev.tsMs > s.lastEventMs ? { ...s, lastEventMs: ev.tsMs } : s;
  switch (ev.kind) {
    case 'market': {
      const id = ev.market.conditionId;
      if (s.markets.get(id)?.endMs === ev.market.endMs) return t;
      const known = s.markets.has(id);
      const withEnd = withMarket(t, id, (m) => ({ ...m, endMs: ev.market.endMs }));
      return known ? withEnd : { ...withEnd, markets: pruneViews(withEnd.markets, ev.tsMs) };
    }
    case 'alpha':
      return withMarket(t, ev.conditionId, (m) => ({
        ...m,
        regime: ev.regime,
        regimeReasons: ev.regimeReasons,
        qUp: ev.qUp,
        targetTotal: ev.targetTotal,
      }));
    case 'decision':
      return withMarket(t, ev.desired.conditionId, (m) => ({
        ...m,
        quotes: ev.desired.orders,
        ...(ev.desired.reason ? { quoteReason: ev.desired.reason } : { quoteReason: undefined }),
      }));
    case 'halt':
      return { ...t, halts: ev.reasons };
    case 'heartbeat':
      return {
        ...t,
        heartbeat: {
          ok: ev.ok,
          failures: t.heartbeat.failures + (ev.ok ? 0 : 1),
          ...(ev.ok
            ? { lastAckMs: ev.tsMs }
            : t.heartbeat.lastAckMs !== undefined
              ? { lastAckMs: t.heartbeat.lastAckMs }
              : {}),
        },
      };
    default:
      return t;
  }
}

export interface OpenOrderView {
  readonly orderId: string;
  readonly market: string;
  readonly tokenId: string;
  readonly side: string;
  readonly price: number;
  readonly size: number;
  readonly sizeMatched: number;
}

export interface StatusSnapshot {
  readonly tsMs: number;
  readonly halts: readonly GlobalHalt[];
  readonly feeds: Record<string, string>;
  readonly heartbeat: { readonly ok: boolean | null; readonly ageMs: number | null; readonly failures: number };
  readonly pnlUsdc: number;
  readonly markets: ReadonlyArray<{
    readonly slug: string;
    readonly conditionId: string;
    readonly startMs: number;
    readonly endMs: number;
    readonly regime: string | null;
    readonly regimeReasons: readonly string[];
    readonly qUp: number | null;
    readonly targetTotal: number | null;
    readonly quotes: ReadonlyArray<{ outcome: string; level: number; price: number; size: number }>;
    readonly quoteReason: string | null;
    readonly inventory: { readonly up: number; readonly down: number; readonly unpaired: number };
  }>;
  /** From the venue at request time (null when it could not be read). */
  readonly openOrders: readonly OpenOrderView[] | null;
  readonly openOrdersError?: string;
}

/** Markets ended longer ago than this drop out of the status. */
const SHOW_AFTER_END_MS = 120_000;

export function statusSnapshot(
  s: StatusFold,
  summary: SummaryState,
  extra: {
    nowMs: number;
    feeds: Record<string, string>;
    pnlUsdc: number;
    openOrders: readonly OpenOrderView[] | null;
    openOrdersError?: string;
  },
): StatusSnapshot {
  const markets = [...summary.markets.values()]
    .filter((m) => extra.nowMs <= m.endMs + SHOW_AFTER_END_MS)
    .sort((a, b) => a.startMs - b.startMs)
    .map((m) => {
      const v = s.markets.get(m.conditionId) ?? { quotes: [] };
      const h = summary.holdings.get(m.conditionId) ?? { up: 0, down: 0 };
      return {
        slug: m.slug,
        conditionId: m.conditionId,
        startMs: m.startMs,
        endMs: m.endMs,
        regime: v.regime ?? null,
        regimeReasons: v.regimeReasons ?? [],
        qUp: v.qUp ?? null,
        targetTotal: v.targetTotal ?? null,
        quotes: v.quotes.map((o) => ({ outcome: o.outcome, level: o.level, price: o.price, size: o.size })),
        quoteReason: v.quoteReason ?? null,
        inventory: { up: h.up, down: h.down, unpaired: h.up - h.down },
      };
    });
  return {
    tsMs: extra.nowMs,
    halts: s.halts,
    feeds: extra.feeds,
    heartbeat: {
      ok: s.heartbeat.ok ?? null,
      ageMs: s.heartbeat.lastAckMs === undefined ? null : extra.nowMs - s.heartbeat.lastAckMs,
      failures: s.heartbeat.failures,
    },
    pnlUsdc: extra.pnlUsdc,
    markets,
    openOrders: extra.openOrders,
    ...(extra.openOrdersError ? { openOrdersError: extra.openOrdersError } : {}),
  };
}
