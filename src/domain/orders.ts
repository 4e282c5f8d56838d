// Orders, fills and inventory.
import type { Outcome, Side } from './market.js';

export type OrderType = 'GTC' | 'GTD' | 'FOK' | 'FAK';
export type OrderStatus = 'live' | 'matched' | 'cancelled' | 'unknown';

/** An order resting (or believed resting) at the venue. */
export interface LiveOrder {
  readonly orderId: string;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly outcome: Outcome;
  readonly side: Side;
  readonly price: number;
  /** Original size in shares. */
  readonly size: number;
  readonly sizeMatched: number;
  readonly orderType: OrderType;
  readonly status: OrderStatus;
  /** Ladder level this order was placed for, when the bot placed it. */
  readonly level?: number;
  readonly tsMs: number;
}

/** What the strategy wants resting at one (token, level). */
export interface DesiredOrder {
  readonly outcome: Outcome;
  readonly tokenId: string;
  readonly level: number;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  readonly postOnly: boolean;
  readonly orderType: 'GTC' | 'GTD';
}

/** The complete desired order set for one market; empty with a reason when not quoting. */
export interface DesiredOrderSet {
  readonly slug: string;
  readonly conditionId: string;
  readonly orders: readonly DesiredOrder[];
  /** Why the set is empty or reduced (cutoff, stale_oracle, user_feed_down, ...). */
  readonly reason?: string;
  readonly tsMs: number;
}

/** A taker order to complete unpaired inventory, with its explicit price cap. */
export interface TakerIntent {
  readonly conditionId: string;
  readonly tokenId: string;
  readonly outcome: Outcome;
  readonly side: Side;
  /** Worst price accepted (the cap). */
  readonly maxPrice: number;
  /** Shares wanted. */
  readonly size: number;
  /** What the order spends (a marketable BUY is sized in USDC): `size` at the book's asks (`takerSpend`). */
  readonly amountUsdc: number;
  readonly orderType: 'FOK' | 'FAK';
  readonly reason: string;
  readonly tsMs: number;
}

export type FillStatus = 'MATCHED' | 'MINED' | 'CONFIRMED' | 'RETRYING' | 'FAILED';

/** One of our fills, counted once at MATCHED and reversed on FAILED. */
export interface Fill {
  readonly tradeId: string;
  readonly orderId: string;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly outcome?: Outcome;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  readonly role: 'MAKER' | 'TAKER';
  readonly feeRateBps: number;
  readonly status: FillStatus;
  readonly tsMs: number;
}

export interface InventorySide {
  readonly shares: number;
  /** Sum of price * shares paid for the shares held. */
  readonly notional: number;
}

export interface Inventory {
  readonly up: InventorySide;
  readonly down: InventorySide;
  readonly lastTradeMs: number;
}

export const EMPTY_INVENTORY: Inventory = {
  up: { shares: 0, notional: 0 },
  down: { shares: 0, notional: 0 },
  lastTradeMs: 0,
};
