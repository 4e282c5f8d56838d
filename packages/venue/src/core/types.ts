// The simulated venue's core contract: what the pure, time-driven core exposes to the servers.
// The core knows nothing of HTTP, WebSockets, JSON wire shapes or signatures; the servers
// (packages/venue/src/server) translate between this and Polymarket's wire protocol.
// Nothing in this package imports from the bot (src/domain, src/quant, ...).
import type { ScenarioParams } from './scenarios.js';
import type { VResolution } from './settlement.js';
import type { PersistedAccount } from './accounts.js';

export type VSide = 'BUY' | 'SELL';
export type VOrderType = 'GTC' | 'GTD' | 'FOK' | 'FAK';
export type VOutcome = 'Up' | 'Down';

export interface VFeeSchedule {
  readonly rate: number;
  readonly exponent: number;
  readonly takerOnly: boolean;
  readonly rebateRate: number;
}

export interface VMarket {
  readonly slug: string;
  readonly conditionId: string;
  readonly questionId: string;
  readonly question: string;
  readonly tokenUp: string;
  readonly tokenDown: string;
  readonly createdMs: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly tickSize: number;
  readonly minSize: number;
  readonly feeSchedule: VFeeSchedule;
  /** 'scheduled' before start, 'open' while trading, 'closed' after end, 'resolved' once settled. */
  readonly status: 'scheduled' | 'open' | 'closed' | 'resolved';
  /** Settlement rule and, for `twap`, its window in seconds. */
  readonly resolution: VResolution;
  readonly twapLookbackS: number;
  /** Price to beat and final price by the rule, once known (published on Gamma's eventMetadata). */
  readonly oracleStart?: number;
  readonly oracleEnd?: number;
  readonly winner?: VOutcome;
}

export interface VLevel {
  readonly price: number;
  readonly size: number;
}

export interface VBook {
  readonly tokenId: string;
  readonly conditionId: string;
  /** Best first. */
  readonly bids: readonly VLevel[];
  readonly asks: readonly VLevel[];
  readonly tsMs: number;
}

/** An order as submitted (already authenticated and signature-checked by the server). */
export interface VOrderRequest {
  /** Account (API key owner address, lower case). */
  readonly owner: string;
  readonly tokenId: string;
  readonly side: VSide;
  readonly price: number;
  /** Shares; a marketable BUY with `spendUsdc`: the least it accepts (spend / price, its signed taker amount). */
  readonly size: number;
  /**
   * A FOK/FAK BUY's USDC (its signed maker amount): the venue spends all of it, best price first up
   * to `price`, so cheaper asks buy more than `size` shares. Without it, the order buys `size` shares.
   */
  readonly spendUsdc?: number;
  readonly orderType: VOrderType;
  readonly postOnly: boolean;
  /** GTD expiry, epoch seconds; 0 for none. */
  readonly expirationS: number;
  /** Optional client-supplied id (e.g. the order hash); the core assigns one otherwise. */
  readonly orderId?: string;
}

export interface VOrder {
  readonly id: string;
  readonly owner: string;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly outcome: VOutcome;
  readonly side: VSide;
  readonly price: number;
  readonly originalSize: number;
  readonly sizeMatched: number;
  readonly orderType: VOrderType;
  readonly status: 'LIVE' | 'MATCHED' | 'CANCELED';
  readonly createdMs: number;
  readonly expirationS: number;
}

export interface VPlaceResult {
  readonly success: boolean;
  readonly orderId: string;
  /** Polymarket's `status`: 'live' resting, 'matched' filled at once, 'unmatched' killed FOK/FAK. */
  readonly status: 'live' | 'matched' | 'unmatched' | '';
  /** Empty on success; otherwise one of Polymarket's error texts. */
  readonly errorMsg: string;
  readonly makingAmount: string;
  readonly takingAmount: string;
  readonly tradeIds: readonly string[];
}

export interface VMakerFill {
  readonly orderId: string;
  readonly owner: string;
  readonly tokenId: string;
  readonly outcome: VOutcome;
  readonly side: VSide;
  readonly price: number;
  readonly matchedAmount: number;
}

export type VTradeStatus = 'MATCHED' | 'MINED' | 'CONFIRMED' | 'RETRYING' | 'FAILED';

export interface VTrade {
  readonly id: string;
  readonly conditionId: string;
  readonly takerOrderId: string;
  readonly takerOwner: string;
  readonly tokenId: string;
  readonly outcome: VOutcome;
  readonly side: VSide;
  /** Taker's price (the worst level it traded at). */
  readonly price: number;
  readonly size: number;
  readonly feeRateBps: number;
  readonly feeUsdc: number;
  readonly makers: readonly VMakerFill[];
  readonly status: VTradeStatus;
  readonly matchMs: number;
  readonly lastUpdateMs: number;
}

export interface VBalance {
  readonly collateral: number;
  /** tokenId -> shares */
  readonly positions: Readonly<Record<string, number>>;
}

export type VPriceSource = 'binance' | 'chainlink' | 'chainlink-twap' | 'pyth';

/** Everything the core emits, in order. The servers fan these out to sockets. */
export type VenueEvent =
  | { readonly type: 'marketCreated'; readonly tsMs: number; readonly market: VMarket }
  | { readonly type: 'marketStatus'; readonly tsMs: number; readonly market: VMarket }
  | { readonly type: 'marketResolved'; readonly tsMs: number; readonly market: VMarket }
  | { readonly type: 'book'; readonly tsMs: number; readonly book: VBook }
  /** Level changes: `size` is the new total at that price (0 removes it). */
  | {
      readonly type: 'priceChange';
      readonly tsMs: number;
      readonly conditionId: string;
      readonly changes: readonly {
        readonly tokenId: string;
        readonly side: VSide;
        readonly price: number;
        readonly size: number;
        readonly bestBid: number | undefined;
        readonly bestAsk: number | undefined;
      }[];
    }
  | {
      readonly type: 'lastTrade';
      readonly tsMs: number;
      readonly conditionId: string;
      readonly tokenId: string;
      readonly price: number;
      readonly size: number;
      readonly side: VSide;
      readonly feeRateBps: number;
    }
  | {
      readonly type: 'tickSize';
      readonly tsMs: number;
      readonly conditionId: string;
      readonly tokenId: string;
      readonly oldTick: number;
      readonly newTick: number;
    }
  | {
      readonly type: 'order';
      readonly tsMs: number;
      readonly change: 'PLACEMENT' | 'UPDATE' | 'CANCELLATION';
      readonly order: VOrder;
      readonly reason?: string;
    }
  | { readonly type: 'trade'; readonly tsMs: number; readonly trade: VTrade }
  | {
      readonly type: 'price';
      readonly tsMs: number;
      readonly source: VPriceSource;
      readonly symbol: string;
      readonly value: number;
    };

/** The core API the servers call. Time is always passed in; the core never reads a clock. */
export interface VenueCore {
  /** Step the world to `nowMs`: prices, oracle, participants, market schedule, trade lifecycle, dead-man switch. */
  advance(nowMs: number): void;
  /** Drain the events produced since the last call (in order). */
  drainEvents(): VenueEvent[];

  markets(): readonly VMarket[];
  marketBySlug(slug: string): VMarket | undefined;
  marketByToken(tokenId: string): VMarket | undefined;
  marketByCondition(conditionId: string): VMarket | undefined;
  book(tokenId: string): VBook | undefined;

  ensureAccount(owner: string): void;
  placeOrder(req: VOrderRequest, nowMs: number): VPlaceResult;
  cancelOrder(owner: string, orderId: string, nowMs: number): { canceled: boolean; reason?: string };
  cancelAll(owner: string, nowMs: number): { canceled: string[] };
  cancelMarket(
    owner: string,
    filter: { conditionId?: string; tokenId?: string },
    nowMs: number,
  ): { canceled: string[] };
  openOrders(owner: string, filter?: { conditionId?: string; tokenId?: string; orderId?: string }): readonly VOrder[];
  order(orderId: string): VOrder | undefined;
  trades(owner: string, filter?: { conditionId?: string; tokenId?: string; afterMs?: number }): readonly VTrade[];

  /** Dead-man switch: after the first heartbeat, no heartbeat within the timeout cancels all. */
  heartbeat(owner: string, nowMs: number): void;

  balance(owner: string): VBalance;
  split(owner: string, conditionId: string, amount: number, nowMs: number): { ok: boolean; error?: string };
  merge(owner: string, conditionId: string, amount: number, nowMs: number): { ok: boolean; error?: string };
  redeem(owner: string, conditionId: string, nowMs: number): { ok: boolean; payout: number; error?: string };

  /** How many times the dead-man switch cancelled this account's orders. */
  deadmanFired(owner: string): number;

  /** Change the probability that trades matched from now on FAIL (a live fault knob). */
  setTradeFailRate(p: number): void;
  /** Markets resolve this long after their final price is known; -1: never (a live fault knob). */
  setResolutionDelay(ms: number): void;

  /** What a restart keeps: client accounts (not the simulated participants), their resting orders and trades. */
  persisted(): VPersisted;
  /** Restore it after a restart (at `nowMs`); returns the orders that could not rest again (cancelled while down). */
  restore(p: VPersisted, nowMs: number): { restored: number; dropped: readonly string[] };

  /** Latest reference prices (for RTDS snapshots / PolyBolt snapshot frames). */
  lastPrice(source: VPriceSource): { value: number; tsMs: number } | undefined;

  /** What the core holds now (diagnostics: a long run's memory stays bounded). */
  held(): {
    readonly markets: number;
    readonly books: number;
    readonly restingOrders: number;
    /** Entries of the lookups by token and by slug (three a market). */
    readonly lookups: number;
  };
}

/** The venue state a restart keeps (JSON-safe). */
export interface VPersisted {
  readonly seq: number;
  readonly accounts: readonly PersistedAccount[];
  readonly orders: readonly VOrder[];
  readonly trades: readonly VTrade[];
}

export type VScenario = 'calm' | 'trending' | 'jumpy' | 'flash-crash' | 'oracle-stall';

export interface VenueOptions {
  readonly seed: number;
  readonly scenario: VScenario;
  /** Market interval in ms (15 min default; 1 min for demos). */
  readonly intervalMs: number;
  /** Virtual or wall time at which the world starts (epoch ms). */
  readonly startMs: number;
  /** pUSD every new account starts with. */
  readonly startingBalance: number;
  /** Dead-man switch timeout after the last heartbeat. */
  readonly heartbeatTimeoutMs: number;
  /** Delay from MATCHED to MINED and from MINED to CONFIRMED. */
  readonly minedDelayMs: number;
  readonly confirmedDelayMs: number;
  /** Probability a trade FAILs instead of being mined. */
  readonly tradeFailRate: number;
  /** A fixed Chainlink-like oracle lag behind the fast feed (tests); else the scenario's 1-4 s. */
  readonly oracleLagMs?: number;
  /** Scenario parameters replaced by settings (`sim.*`). */
  readonly scenarioOverrides?: Partial<ScenarioParams>;
  /** How far ahead of its start a market is created. */
  readonly createAheadMs: number;
  /** How long after its end a resolved market is kept (then forgotten: its book, lookups and all). */
  readonly forgetAfterMs: number;
  /** Simulated participants on/off (off for matching-engine tests). */
  readonly participants: boolean;
  /**
   * Phase of the market schedule: markets start at scheduleOriginMs + k * intervalMs. 0 (default)
   * is Polymarket's UTC grid; the embedded demo venue puts it just after launch so that a fresh
   * market opens within seconds instead of up to an interval later.
   */
  readonly scheduleOriginMs: number;
  /** Settlement rule: Chainlink's 60 s TWAP (since August 2026) or the retired first tick. */
  readonly resolution: VResolution;
  readonly twapLookbackS: number;
  /**
   * Ids minted (orders, trades) start after this: a venue restored from its store continues the
   * sequence it had (`idSeqFrom(saved)`), even for the participants' orders and trades made while it
   * catches up with the present, before the saved state is put back.
   */
  readonly idSeqFrom?: number;
}
