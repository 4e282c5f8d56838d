// Our fills from user-channel trade messages (pure). A trade arrives once per status: a fill counts
// once (at MATCHED, or at the first later status if MATCHED was missed), its later statuses are
// followed (tradeStatus events: settled once CONFIRMED), it is undone on FAILED, and repeats are ignored. As a maker, our fill is our entry in `maker_orders`.
import type { Fill, FillEvent, MarketIdentity, TradeStatusEvent } from '../domain/index.js';
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

/**
 * What the taker paid (or got) per share: each maker's price weighted by what it matched, in the
 * taker's token (a maker on the complementary token at p is 1 − p to the taker). A taker order that
 * crosses several levels settles each at its own price; the trade's `price` is one of them (the
 * simulated venue sends the last, the worst). The trade's price when the makers' entries do not add up
 * to its size.
 */
export function takerPrice(t: UserTradeMsg): number {
  let shares = 0;
  let notional = 0;
  for (const m of t.makers) {
    shares += m.matchedAmount;
    notional += (m.tokenId === t.tokenId ? m.price : 1 - m.price) * m.matchedAmount;
  }
  const accounted = shares > 0 && Math.abs(shares - t.size) <= 1e-6 * Math.max(1, t.size);
  return accounted ? Math.round((notional / shares) * 1e9) / 1e9 : t.price;
}

/** The fills a trade message gives us (taker side or our maker entries). */
export function fillsOf(t: UserTradeMsg, me: Me, markets: ReadonlyMap<string, MarketIdentity>): Fill[] {
  const market = markets.get(t.conditionId);
  const base = {
    tradeId: t.tradeId,
    conditionId: t.conditionId,
    feeRateBps: t.feeRateBps,
    status: t.status,
    tsMs: t.tsMs,
  };
  const takerIsMe =
    t.traderSide === 'TAKER'
      ? t.owner === undefined || t.owner === me.apiKey || me.orderIds.has(t.takerOrderId)
      : me.orderIds.has(t.takerOrderId);
  if (takerIsMe && t.traderSide !== 'MAKER') {
    return [
      {
        ...base,
        orderId: t.takerOrderId,
        tokenId: t.tokenId,
        outcome: market && outcomeOf(market, t.tokenId),
        side: t.side,
        price: takerPrice(t),
        size: t.size,
        role: 'TAKER',
      },
    ];
  }
  return t.makers
    .filter(
      (m) =>
        m.owner === me.apiKey ||
        me.orderIds.has(m.orderId) ||
        (m.makerAddress !== undefined && m.makerAddress === me.address),
    )
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

/** A ledger being updated: reads go to the current maps, the first write copies them (most trade messages change nothing). */
class Draft {
  counted: Map<string, Fill>;
  reversed: Set<string>;
  private copied = false;
  constructor(readonly base: FillLedger) {
    this.counted = base.counted as Map<string, Fill>;
    this.reversed = base.reversed as Set<string>;
  }
  write(): this {
    if (!this.copied)
      [this.counted, this.reversed, this.copied] = [new Map(this.counted), new Set(this.reversed), true];
    return this;
  }
  done(): FillLedger {
    return this.copied ? bound({ counted: this.counted, reversed: this.reversed }) : this.base;
  }
}

/** What a trade report does to the ledger: count, follow the status, or reverse. */
function report(d: Draft, fill: Fill, tsMs: number): FillStatusEvent[] {
  const key = `${fill.tradeId}:${fill.orderId}`;
  const was = d.counted.get(key);
  if (fill.status === 'FAILED') {
    // A FAILED trade never counted is remembered too: a late MATCHED of it must not count.
    if (!was) {
      if (!d.reversed.has(key)) d.write().reversed.add(key);
      return [];
    }
    if (d.reversed.has(key)) return [];
    d.write().reversed.add(key);
    d.counted.set(key, { ...was, status: 'FAILED' });
    return [{ kind: 'fill', tsMs, fill: { ...was, status: 'FAILED' }, reversal: true }];
  }
  if (!was) {
    if (d.reversed.has(key)) return [];
    d.write().counted.set(key, fill);
    return [{ kind: 'fill', tsMs, fill, reversal: false }];
  }
  // Statuses only move forward (a late MATCHED or MINED after CONFIRMED is a repeat).
  if (d.reversed.has(key) || RANK[fill.status] <= RANK[was.status]) return [];
  const moved = { ...was, status: fill.status };
  d.write().counted.set(key, moved);
  return [{ kind: 'tradeStatus', tsMs, fill: moved }];
}

const RANK: Record<Fill['status'], number> = { MATCHED: 0, RETRYING: 1, MINED: 1, CONFIRMED: 2, FAILED: 3 };

export type FillStatusEvent = FillEvent | TradeStatusEvent;

/** Fills as listed by REST (`/data/trades`) after a reconnect: new ones counted, moved ones followed, FAILED ones reversed. */
export function applyListedFills(
  ledger: FillLedger,
  fills: readonly Fill[],
): { ledger: FillLedger; events: FillStatusEvent[] } {
  const d = new Draft(ledger);
  const events = fills.flatMap((f) => report(d, f, f.tsMs));
  return { ledger: d.done(), events };
}

export function applyTrade(
  ledger: FillLedger,
  t: UserTradeMsg,
  me: Me,
  markets: ReadonlyMap<string, MarketIdentity>,
): { ledger: FillLedger; events: FillStatusEvent[] } {
  const d = new Draft(ledger);
  const events = fillsOf(t, me, markets).flatMap((fill) => report(d, fill, t.tsMs));
  return { ledger: d.done(), events };
}

/** Bound memory: forget the oldest entries beyond 20 000 (a reversal comes minutes after its fill). */
function bound(l: { counted: Map<string, Fill>; reversed: Set<string> }): FillLedger {
  if (l.counted.size > 20_000) {
    for (const k of [...l.counted.keys()].slice(0, 5_000)) {
      l.counted.delete(k);
      l.reversed.delete(k);
    }
  }
  if (l.reversed.size > 20_000) for (const k of [...l.reversed].slice(0, 5_000)) l.reversed.delete(k);
  return l;
}
