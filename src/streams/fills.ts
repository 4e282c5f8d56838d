// Our fills from user-channel trade messages (pure). A trade arrives once per status: a fill counts
// once (at MATCHED, or at the first later status if MATCHED was missed), its later statuses are
// followed (tradeStatus events: settled once CONFIRMED), it is undone on FAILED, and repeats are ignored. As a maker, our fill is our entry in `maker_orders`.
import type { Fill, FillEvent, MarketIdentity, TradeStatusEvent } from '../domain/index.js';
import { outcomeOf } from '../domain/index.js';
import type { UserTradeMsg } from '../wire/user.js';

/**
 * The fills counted and reversed, each in generations of at most GENERATION entries (oldest first):
 * a write copies only the newest generation, never the whole ledger (copying up to 20,000 entries on
 * every trade message took a backtested day ~20 % longer). A later generation shadows an earlier
 * one; the oldest goes when there are more than GENERATIONS.
 */
export interface FillLedger {
  /** `${tradeId}:${orderId}` -> the fill as counted. */
  readonly counted: readonly ReadonlyMap<string, Fill>[];
  readonly reversed: readonly ReadonlySet<string>[];
}

export const EMPTY_LEDGER: FillLedger = { counted: [new Map()], reversed: [new Set()] };

/**
 * Entries per generation, and generations kept: the last ~20,000 fills (a reversal comes minutes
 * after its fill). Near the square root of the total: a write copies up to GENERATION entries, a
 * new key is looked up in every generation (1,000 × 20 copied five times as much for the same
 * lookups saved).
 */
const GENERATION = 250;
const GENERATIONS = 80;

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

/** A ledger being updated: reads see every generation, the first write copies the newest one. */
class Draft {
  private counted: Map<string, Fill> | undefined;
  private reversed: Set<string> | undefined;
  constructor(readonly base: FillLedger) {}

  fill(key: string): Fill | undefined {
    const gens = this.base.counted;
    const newest = this.counted ?? gens[gens.length - 1]!;
    let f = newest.get(key);
    for (let i = gens.length - 2; f === undefined && i >= 0; i--) f = gens[i]!.get(key);
    return f;
  }
  isReversed(key: string): boolean {
    const gens = this.base.reversed;
    if ((this.reversed ?? gens[gens.length - 1]!).has(key)) return true;
    for (let i = gens.length - 2; i >= 0; i--) if (gens[i]!.has(key)) return true;
    return false;
  }
  count(key: string, fill: Fill): void {
    (this.counted ??= new Map(this.base.counted[this.base.counted.length - 1])).set(key, fill);
  }
  reverse(key: string): void {
    (this.reversed ??= new Set(this.base.reversed[this.base.reversed.length - 1])).add(key);
  }
  done(): FillLedger {
    if (!this.counted && !this.reversed) return this.base;
    return {
      counted: this.counted ? rolled(this.base.counted, this.counted, () => new Map()) : this.base.counted,
      reversed: this.reversed ? rolled(this.base.reversed, this.reversed, () => new Set()) : this.base.reversed,
    };
  }
}

/** The generations with a new newest one; a full newest one starts the next, and the oldest beyond GENERATIONS go. */
function rolled<G extends { readonly size: number }>(gens: readonly G[], newest: G, fresh: () => G): G[] {
  const out = [...gens.slice(0, -1), newest];
  if (newest.size >= GENERATION) out.push(fresh());
  return out.length > GENERATIONS + 1 ? out.slice(out.length - GENERATIONS - 1) : out;
}

/** What a trade report does to the ledger: count, follow the status, or reverse. */
function report(d: Draft, fill: Fill, tsMs: number): FillStatusEvent[] {
  const key = `${fill.tradeId}:${fill.orderId}`;
  const was = d.fill(key);
  if (fill.status === 'FAILED') {
    // A FAILED trade never counted is remembered too: a late MATCHED of it must not count.
    if (!was) {
      if (!d.isReversed(key)) d.reverse(key);
      return [];
    }
    if (d.isReversed(key)) return [];
    d.reverse(key);
    d.count(key, { ...was, status: 'FAILED' });
    return [{ kind: 'fill', tsMs, fill: { ...was, status: 'FAILED' }, reversal: true }];
  }
  if (!was) {
    if (d.isReversed(key)) return [];
    d.count(key, fill);
    return [{ kind: 'fill', tsMs, fill, reversal: false }];
  }
  // Statuses only move forward (a late MATCHED or MINED after CONFIRMED is a repeat).
  if (d.isReversed(key) || RANK[fill.status] <= RANK[was.status]) return [];
  const moved = { ...was, status: fill.status };
  d.count(key, moved);
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
