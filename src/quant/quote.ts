// The quote engine (TECH_SPEC §7) as one pure function: market snapshot in, desired order set out.
import type {
  BookTop,
  DesiredOrder,
  DesiredOrderSet,
  HaltReason,
  Inventory,
  MarketIdentity,
  Outcome,
} from '../domain/index.js';
import { tokenOf } from '../domain/index.js';
import { modelCapsWithin, pairCostCaps, type Caps } from './caps.js';
import { buildLadder, type LadderLevel } from './ladder.js';
import { applySkew, type SkewParams } from './skew.js';
import type { Toxicity } from './toxicity.js';
import { avgCost, unpairedShares } from './inventory.js';
import { enforceCombinedCap } from './caps.js';

export interface QuoteInputs {
  readonly nowMs: number;
  readonly market: MarketIdentity;
  readonly bookUp?: BookTop;
  readonly bookDown?: BookTop;
  readonly qUp: number;
  /** Under FAST_MOVE, q_up from the fast feed: the side it makes stale is capped by it. */
  readonly qUpFast?: number;
  /** q_up with the price moved against each side over the quote's exposure (alpha.exposureS): [low, high]. */
  readonly qUpBand?: readonly [number, number];
  readonly toxicity: Toxicity;
  readonly targetTotal: number;
  readonly inventory: Inventory;
  /** Global reasons not to quote (user_feed_down, heartbeat_down, ...). */
  readonly halts: readonly HaltReason[];
  /** The side a fast move makes stale, when it is to be pulled (alpha.fastMovePull): no bids on it. */
  readonly pull?: Outcome;
}

export interface QuoteParams {
  readonly cutoffMs: number;
  readonly requiredEdge: number;
  readonly ladder: {
    readonly levels: number;
    readonly baseSize: number;
    readonly sizeStep: number;
    readonly spacingTicks: number;
  };
  readonly skew: SkewParams;
  /** Cap the short side by target total − the excess side's average cost (pairCostCaps). */
  readonly pairCostCap?: boolean;
}

function empty(i: QuoteInputs, reason: string): DesiredOrderSet {
  return { slug: i.market.slug, conditionId: i.market.conditionId, orders: [], reason, tsMs: i.nowMs };
}

/** Why the market must not be quoted now, if anything. Safety first, in this order. */
export function pauseReason(i: QuoteInputs, cutoffMs: number): string | undefined {
  if (i.halts.length > 0) return i.halts.join(',');
  if (i.nowMs >= i.market.endMs - cutoffMs) return 'cutoff';
  if (i.nowMs < i.market.startMs) return 'not_started';
  if (i.market.closed || !i.market.acceptingOrders) return 'market_closed';
  if (i.toxicity.regime === 'STALE_ORACLE') return 'stale_oracle';
  if (!i.bookUp || !i.bookDown) return 'no_book';
  return undefined;
}

/** Pairs level by level must sum to at most the target; trim the deeper side's prices if not. */
function pairwiseCapped(
  up: LadderLevel[],
  down: LadderLevel[],
  target: number,
  tick: number,
): [LadderLevel[], LadderLevel[]] {
  const outUp: LadderLevel[] = [];
  const outDown: LadderLevel[] = [];
  const n = Math.max(up.length, down.length);
  for (let k = 0; k < n; k++) {
    const u = up[k];
    const d = down[k];
    if (u && d) {
      const { pUp, pDown } = enforceCombinedCap(u.price, d.price, target, tick);
      outUp.push({ ...u, price: pUp });
      outDown.push({ ...d, price: pDown });
    } else if (u) outUp.push(u);
    else if (d) outDown.push(d);
  }
  return [outUp, outDown];
}

/** The model's caps, lowered on the short side so that pairs completed with what we hold cost at most the target. */
export function quoteCaps(
  i: Pick<QuoteInputs, 'qUp' | 'qUpFast' | 'qUpBand' | 'targetTotal' | 'inventory' | 'market'>,
  p: Pick<QuoteParams, 'requiredEdge' | 'pairCostCap'>,
): Caps {
  const tick = i.market.tickSize;
  // Each side is capped by the estimate least favourable to it.
  const fast = i.qUpFast ?? i.qUp;
  const low = Math.min(i.qUp, fast, i.qUpBand?.[0] ?? i.qUp);
  const high = Math.max(i.qUp, fast, i.qUpBand?.[1] ?? i.qUp);
  const model = modelCapsWithin(low, high, p.requiredEdge, i.targetTotal, tick);
  const unpaired = unpairedShares(i.inventory);
  if (!p.pairCostCap || Math.abs(unpaired) < i.market.minSize) return model;
  const excess = unpaired > 0 ? 'up' : 'down';
  const pair = pairCostCaps(excess, avgCost(i.inventory[excess]), i.targetTotal, tick);
  return { capUp: Math.min(model.capUp, pair.capUp ?? 1), capDown: Math.min(model.capDown, pair.capDown ?? 1) };
}

export function quoteMarket(i: QuoteInputs, p: QuoteParams): DesiredOrderSet {
  const reason = pauseReason(i, p.cutoffMs);
  if (reason !== undefined) return empty(i, reason);
  const { market } = i;
  const tick = market.tickSize;
  const caps = quoteCaps(i, p);
  const ladderOf = (book: BookTop | undefined, cap: number, outcome: Outcome): LadderLevel[] =>
    i.pull === outcome
      ? []
      : buildLadder({
          bestBid: book?.bestBid,
          bestAsk: book?.bestAsk,
          cap,
          tick,
          minSize: market.minSize,
          sizeScalar: i.toxicity.sizeScalar,
          ...p.ladder,
        });
  const skewed = applySkew(
    ladderOf(i.bookUp, caps.capUp, 'up'),
    ladderOf(i.bookDown, caps.capDown, 'down'),
    unpairedShares(i.inventory),
    p.skew,
    market.minSize,
  );
  const [up, down] = pairwiseCapped(skewed.up, skewed.down, i.targetTotal, tick);
  const toOrders = (outcome: Outcome, levels: readonly LadderLevel[]): DesiredOrder[] =>
    levels.map((l) => ({
      outcome,
      tokenId: tokenOf(market, outcome),
      level: l.level,
      side: 'BUY',
      price: l.price,
      size: l.size,
      postOnly: true,
      orderType: 'GTC',
    }));
  const orders = [...toOrders('up', up), ...toOrders('down', down)];
  const why = orders.length === 0 ? 'nothing_to_quote' : skewed.skew !== 'none' ? `skew_${skewed.skew}` : undefined;
  return { slug: market.slug, conditionId: market.conditionId, orders, tsMs: i.nowMs, ...(why ? { reason: why } : {}) };
}
