// The settlement facts of a market as one event (the `settlement` tap, the event log, the status
// line): emitted by the strategy step whenever they change.
import { resolutionOf, type SettlementEvent } from '../domain/index.js';
import type { MarketState } from '../state/botState.js';

/** True once a market is unresolved `overdueMs` after its end (the venue's resolution is late or never comes). */
export const resolutionOverdue = (m: MarketState, nowMs: number, overdueMs: number): boolean =>
  !m.resolved && nowMs > m.market.endMs + overdueMs;

export function settlementEventOf(m: MarketState, tsMs: number, overdueMs = Infinity): SettlementEvent {
  const rule = resolutionOf(m.market);
  const st = m.settlement;
  const overdue = resolutionOverdue(m, tsMs, overdueMs)
    ? `resolution overdue: ended ${new Date(m.market.endMs).toISOString().slice(11, 19)}, not resolved ${Math.round(overdueMs / 1_000)} s later`
    : undefined;
  const problem =
    overdue ??
    (rule.rule === 'unknown'
      ? `resolution rule unknown: ${rule.reason}`
      : st.disagree
        ? `price to beat disputed: ${st.disagree}`
        : st.priceToBeat === undefined
          ? st.missed
          : undefined);
  return {
    kind: 'settlement',
    tsMs,
    conditionId: m.market.conditionId,
    slug: m.market.slug,
    rule: rule.rule,
    ...(rule.rule === 'twap' ? { lookbackS: rule.lookbackS } : {}),
    ...(st.priceToBeat !== undefined ? { priceToBeat: st.priceToBeat, priceToBeatSource: st.priceToBeatSource! } : {}),
    ...(st.finalPrice !== undefined ? { finalPrice: st.finalPrice } : {}),
    ...(st.winner ? { winner: st.winner } : {}),
    ...(m.market.priceToBeat !== undefined ? { gammaPriceToBeat: m.market.priceToBeat } : {}),
    ...(st.gammaDiff !== undefined ? { gammaDiff: st.gammaDiff } : {}),
    ...(m.market.finalPrice !== undefined ? { gammaFinalPrice: m.market.finalPrice } : {}),
    ...(st.gammaFinalDiff !== undefined ? { gammaFinalDiff: st.gammaFinalDiff } : {}),
    ...(problem ? { problem } : {}),
  };
}

/** What the event says, without its time: a new event only when this changes. */
export const settlementKey = (e: SettlementEvent): string => JSON.stringify({ ...e, tsMs: 0 });
