// Our fills from user-channel trade messages (pure). A trade arrives once per status: a fill counts
// once (at MATCHED, or at the first later status if MATCHED was missed), is undone on FAILED, and
// repeats are ignored. As a maker, our fill is our entry in `maker_orders`.
import type { Fill, FillEvent, MarketIdentity } from '../domain/index.js';
import { outcomeOf } from '../domain/index.js';
import type { UserTradeMsg } from '../wire/user.js';

export interface FillLedger {
  /** `${tradeId}:${orderId}` -> the fill as counted. */
  readonly counted: ReadonlyMap<string, Fill>;
  readonly reversed: ReadonlySet<string>;
}

export const EMPTY_LEDGER: FillLedger = { counted: new Map(), reversed: new Set() };

export interface Me {
  /** Our API key (the `owner` field on the wire). */
  readonly apiKey: string;
  readonly address: string;
  readonly orderIds: ReadonlySet<string>;
}

/** The fills a trade message gives us (taker side or our maker entries). */
export function fillsOf(t: UserTradeMsg, me: Me, markets: ReadonlyMap<string, MarketIdentity>): Fill[] {
  const market = markets.get(t.conditionId);
  const base = { tradeId: t.tradeId, conditionId: t.conditionId, feeRateBps: t.feeRateBps, status: t.status, tsMs: t.tsMs };
  const takerIsMe = t.traderSide === 'TAKER' ? t.owner === undefined || t.owner === me.apiKey || me.orderIds.has(t.takerOrderId) : me.orderIds.has(t.takerOrderId);
  if (takerIsMe && t.traderSide !== 'MAKER') {
    return [{ ...base, orderId: t.takerOrderId, tokenId: t.tokenId, outcome: market && outcomeOf(market, t.tokenId), side: t.side, price: t.price, size: t.size, role: 'TAKER' }];
  }
  return t.makers
    .filter((m) => m.owner === me.apiKey || me.orderIds.has(m.orderId) || (m.makerAddress !== undefined && m.makerAddress === me.address))
    .map((m) => ({
      ...base,
      orderId: m.orderId,
      tokenId: m.tokenId,
      outcome: market && outcomeOf(market, m.tokenId),
      // A maker entry's side is its own; older messages omit it: a maker on the other token of a
      // complementary match bought too, on the same token it took the other side.
      side: m.side ?? (m.tokenId === t.tokenId ? (t.side === 'BUY' ? 'SELL' : 'BUY') : t.side),
      price: m.price,
      size: m.matchedAmount,
      role: 'MAKER' as const,
    }));
}

export function applyTrade(ledger: FillLedger, t: UserTradeMsg, me: Me, markets: ReadonlyMap<string, MarketIdentity>): { ledger: FillLedger; events: FillEvent[] } {
  // Copied on first write only: most trade messages (status updates, duplicates) change nothing.
  let counted = ledger.counted as Map<string, Fill>;
  let reversed = ledger.reversed as Set<string>;
  const events: FillEvent[] = [];
  for (const fill of fillsOf(t, me, markets)) {
    const key = `${fill.tradeId}:${fill.orderId}`;
    if (t.status === 'FAILED') {
      const was = counted.get(key);
      if (was && !reversed.has(key)) {
        reversed = new Set(reversed).add(key);
        events.push({ kind: 'fill', tsMs: t.tsMs, fill: { ...was, status: 'FAILED' }, reversal: true });
      }
      continue;
    }
    if (counted.has(key)) continue;
    counted = new Map(counted).set(key, fill);
    events.push({ kind: 'fill', tsMs: t.tsMs, fill, reversal: false });
  }
  if (events.length === 0) return { ledger, events };
  // Bound memory: forget the oldest entries beyond 20 000 (a reversal comes minutes after its fill).
  if (counted.size > 20_000) counted = new Map([...counted].slice(5_000));
  if (reversed.size > 20_000) reversed = new Set([...reversed].slice(5_000));
  return { ledger: { counted, reversed }, events };
}
