// The live terminal dashboard of `polymm start` (on a terminal, unless --no-dashboard): one screen
// redrawn in place — per market the time to cutoff, price to beat and current price, q_up, regime,
// our best quotes against the book's top, inventory and unpaired shares; PnL, feed and heartbeat
// health. A pure fold of the bot's events and a pure render; only `liveDashboard` writes.
import type { BotEvent } from '../domain/index.js';
import { EMPTY_STATUS, foldStatus, type StatusFold } from '../sinks/statusView.js';
import { EMPTY_SUMMARY, foldSummary, toRunSummary, type SummaryState } from '../sinks/summary.js';
import { countdown } from './status.js';

export interface DashboardState {
  readonly status: StatusFold;
  readonly summary: SummaryState;
  readonly feeds: ReadonlyMap<string, string>;
  /** Latest settlement (oracle) price and the price to beat per market (first tick at or after its start). */
  readonly price?: number;
  readonly priceToBeat: ReadonlyMap<string, number>;
  /** Time of the latest settlement tick: a price to beat is only known when a tick before the start was seen. */
  readonly priceTsMs?: number;
  /** Book tops per token: [best bid, best ask]. */
  readonly tops: ReadonlyMap<string, readonly [number | undefined, number | undefined]>;
}

export const EMPTY_DASHBOARD: DashboardState = {
  status: EMPTY_STATUS,
  summary: EMPTY_SUMMARY,
  feeds: new Map(),
  priceToBeat: new Map(),
  tops: new Map(),
};

/** The tops and prices to beat of the summary's markets only. */
function onlyMarketsOf(summary: SummaryState, s: DashboardState): Pick<DashboardState, 'tops' | 'priceToBeat'> {
  const tokens = new Set([...summary.markets.values()].flatMap((m) => [m.tokenUp, m.tokenDown]));
  return {
    tops: new Map([...s.tops].filter(([token]) => tokens.has(token))),
    priceToBeat: new Map([...s.priceToBeat].filter(([id]) => summary.markets.has(id))),
  };
}

export function foldDashboard(
  s: DashboardState,
  ev: BotEvent,
  cutoffMs: number,
  settlementSource = 'chainlink',
): DashboardState {
  const next: DashboardState = {
    ...s,
    status: foldStatus(s.status, ev),
    summary: foldSummary(s.summary, ev, cutoffMs),
  };
  switch (ev.kind) {
    case 'market':
      // A new market: the summary let the ended ones go, and their book tops and prices to beat go
      // too (kept, the tops copied on every book event grew by two tokens a market for good).
      return s.summary.markets.has(ev.market.conditionId) ? next : { ...next, ...onlyMarketsOf(next.summary, s) };
    case 'connection':
      return { ...next, feeds: new Map(s.feeds).set(ev.feed, ev.state) };
    case 'stale':
      return { ...next, feeds: new Map(s.feeds).set(ev.feed, ev.stale ? 'stale' : 'up') };
    case 'heartbeat':
      return { ...next, feeds: new Map(s.feeds).set('heartbeat', ev.ok ? 'up' : 'FAILING') };
    case 'book': {
      const bid = Math.max(...ev.book.bids.map((l) => l.price));
      const ask = Math.min(...ev.book.asks.map((l) => l.price));
      return {
        ...next,
        tops: new Map(s.tops).set(ev.book.tokenId, [
          Number.isFinite(bid) ? bid : undefined,
          Number.isFinite(ask) ? ask : undefined,
        ]),
      };
    }
    case 'price': {
      if (ev.tick.source !== settlementSource) return next;
      let toBeat = s.priceToBeat;
      for (const m of next.summary.markets.values()) {
        const crossesStart = s.priceTsMs !== undefined && s.priceTsMs < m.startMs && ev.tick.tsMs >= m.startMs;
        if (crossesStart && !toBeat.has(m.conditionId)) toBeat = new Map(toBeat).set(m.conditionId, ev.tick.price);
      }
      return {
        ...next,
        price: ev.tick.price,
        priceTsMs: Math.max(ev.tick.tsMs, s.priceTsMs ?? 0),
        priceToBeat: toBeat,
      };
    }
    default:
      return next;
  }
}

const f = (x: number | undefined, d = 2): string => (x === undefined ? '-' : x.toFixed(d));

export function renderDashboard(s: DashboardState, nowMs: number, cutoffMs: number): string[] {
  const health =
    [...s.feeds].map(([feed, st]) => (st === 'up' ? feed : `${feed} ${st.toUpperCase()}`)).join('  ') || 'connecting…';
  const pnl = toRunSummary(s.summary, { liveOrders: 0 }).pnl_usdc;
  const lines = [
    `polymm  ${new Date(nowMs).toISOString().slice(11, 19)} UTC   PnL ${f(pnl)} USDC   BTC ${f(s.price, 2)}`,
    `feeds: ${health}   halts: ${s.status.halts.length ? s.status.halts.join(', ') : 'none'}`,
    '',
    `${'market'.padEnd(28)}${'cutoff in'.padEnd(13)}${'to beat'.padEnd(12)}${'q_up'.padEnd(7)}${'regime'.padEnd(15)}${'up: ours | book'.padEnd(22)}${'down: ours | book'.padEnd(22)}inventory up/down (unpaired)`,
  ];
  const markets = [...s.summary.markets.values()]
    .filter((m) => nowMs < m.endMs + 60_000)
    .sort((a, b) => a.startMs - b.startMs);
  for (const m of markets) {
    const v = s.status.markets.get(m.conditionId);
    const top = (outcome: 'up' | 'down', token: string): string => {
      const ours = Math.max(...(v?.quotes ?? []).filter((q) => q.outcome === outcome).map((q) => q.price));
      const [bid, ask] = s.tops.get(token) ?? [undefined, undefined];
      return `${Number.isFinite(ours) ? ours.toFixed(2) : ' -  '} | ${f(bid)}/${f(ask)}`;
    };
    const cutoffAt = m.endMs - cutoffMs;
    const when =
      nowMs < m.startMs
        ? `opens ${countdown(m.startMs - nowMs)}`
        : nowMs < cutoffAt
          ? countdown(cutoffAt - nowMs)
          : nowMs < m.endMs
            ? 'past cutoff'
            : 'ended';
    const h = s.summary.holdings.get(m.conditionId) ?? { up: 0, down: 0 };
    lines.push(
      `${m.slug.slice(0, 27).padEnd(28)}${when.padEnd(13)}${f(s.priceToBeat.get(m.conditionId)).padEnd(12)}${f(v?.qUp, 3).padEnd(7)}${(v?.regime ?? '-').padEnd(15)}${top('up', m.tokenUp).padEnd(22)}${top('down', m.tokenDown).padEnd(22)}${f(h.up, 1)}/${f(h.down, 1)} (${f(h.up - h.down, 1)})`,
    );
    if (v && v.quotes.length === 0 && v.quoteReason) lines.push(`${''.padEnd(28)}not quoting: ${v.quoteReason}`);
  }
  if (markets.length === 0) lines.push('waiting for markets from Gamma…');
  return lines;
}

/** Redraw in place every `everyMs` on an ANSI terminal; returns the event observer and a stop. */
export function liveDashboard(
  write: (text: string) => void,
  cutoffMs: () => number,
  clock: () => number,
  everyMs = 1_000,
): { onEvent: (ev: BotEvent) => void; stop: () => void } {
  let state = EMPTY_DASHBOARD;
  const draw = (): void => write(`\x1b[H\x1b[2J${renderDashboard(state, clock(), cutoffMs()).join('\n')}\n`);
  const timer = setInterval(draw, everyMs);
  return {
    onEvent: (ev) => void (state = foldDashboard(state, ev, cutoffMs())),
    stop: () => clearInterval(timer),
  };
}
