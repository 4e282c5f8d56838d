// Every event the pipeline consumes or produces, as one discriminated union on `kind`.
// Streams produce the input events; operators produce decisions; sinks report what they did.
// Every event carries `tsMs`: the venue's timestamp when it has one, else the injected clock's.
import type { Book, MarketIdentity, Outcome, PriceSource, PriceTick, Side } from './market.js';
import type { DesiredOrderSet, Fill, LiveOrder, OrderType, TakerIntent } from './orders.js';
import type { GlobalHalt } from './halts.js';

/** A feed the bot depends on; each has a connection state and a staleness state. */
/** `clock`: our clock agrees with the venue's (re-measured while running; stale = skewed). */
export type Feed = 'gamma' | 'market' | 'user' | 'prices' | 'heartbeat' | 'clock';
export type ConnectionState = 'connecting' | 'up' | 'down';

/** Regimes the alpha engine classifies (TECH_SPEC §6). */
export const REGIMES = ['NORMAL', 'FAST_MOVE', 'STALE_ORACLE', 'STALE_BINANCE', 'ORACLE_DISAGREE'] as const;
export type Regime = (typeof REGIMES)[number];

// ---- input events (streams) ----

export interface MarketEvent {
  readonly kind: 'market';
  readonly tsMs: number;
  readonly market: MarketIdentity;
}

/** The whole local book of one token after a snapshot or delta was applied. */
export interface BookEvent {
  readonly kind: 'book';
  readonly tsMs: number;
  readonly conditionId: string;
  readonly book: Book;
}

export interface TickSizeEvent {
  readonly kind: 'tickSize';
  readonly tsMs: number;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly tickSize: number;
}

export interface LastTradeEvent {
  readonly kind: 'lastTrade';
  readonly tsMs: number;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly price: number;
  readonly size: number;
  readonly side: Side;
}

/** The venue's own top of book for a token (`best_bid_ask`): a cross-check of the local book. */
export interface BestBidAskEvent {
  readonly kind: 'bestBidAsk';
  readonly tsMs: number;
  readonly conditionId: string;
  readonly tokenId: string;
  readonly bestBid?: number;
  readonly bestAsk?: number;
}

export interface MarketResolvedEvent {
  readonly kind: 'marketResolved';
  readonly tsMs: number;
  readonly conditionId: string;
  readonly winningTokenId: string;
  readonly winner?: Outcome;
}

/** A user-channel order event (PLACEMENT / UPDATE / CANCELLATION) as the new order state. */
export interface OrderEvent {
  readonly kind: 'order';
  readonly tsMs: number;
  readonly change: 'PLACEMENT' | 'UPDATE' | 'CANCELLATION';
  readonly order: LiveOrder;
  readonly statusText?: string;
}

/** Our fill. `reversal` marks the undo of an earlier MATCHED fill whose trade FAILED. */
export interface FillEvent {
  readonly kind: 'fill';
  readonly tsMs: number;
  readonly fill: Fill;
  readonly reversal: boolean;
}

/**
 * A counted fill's trade moved on (MINED, RETRYING, CONFIRMED): settled once CONFIRMED. Its FAILED
 * end is a `fill` event with `reversal`, not this.
 */
export interface TradeStatusEvent {
  readonly kind: 'tradeStatus';
  readonly tsMs: number;
  readonly fill: Fill;
}

export interface PriceEvent {
  readonly kind: 'price';
  readonly tsMs: number;
  readonly tick: PriceTick;
}

/** A clock tick from the injected scheduler; drives timers, staleness and cutoffs. */
export interface ClockEvent {
  readonly kind: 'clock';
  readonly tsMs: number;
}

export interface ConnectionEvent {
  readonly kind: 'connection';
  readonly tsMs: number;
  readonly feed: Feed;
  readonly state: ConnectionState;
  readonly reason?: string;
}

export interface StaleEvent {
  readonly kind: 'stale';
  readonly tsMs: number;
  readonly feed: Feed;
  /** True when the feed went stale, false when it recovered. */
  readonly stale: boolean;
  readonly detail?: string;
}

export interface HeartbeatEvent {
  readonly kind: 'heartbeat';
  readonly tsMs: number;
  readonly ok: boolean;
  readonly error?: string;
  /** The venue refused us for good: trading from this region (403), or our API credentials even freshly derived. */
  readonly refused?: 'region' | 'credentials';
}

/** Shares held in a market as the venue reports them at start (before any fill is seen). */
export interface PositionEvent {
  readonly kind: 'position';
  readonly tsMs: number;
  readonly conditionId: string;
  readonly up: number;
  readonly down: number;
}

/** Input that could not be used: counted, logged (raw truncated) and skipped. */
export interface SkipEvent {
  readonly kind: 'skip';
  readonly tsMs: number;
  readonly source: string;
  readonly reason: string;
  readonly raw: string;
  /** A reference price rejected as implausible: that feed is suspect for a while. */
  readonly suspect?: PriceSource;
}

/** An operator asked the running bot to halt (`polymm cancel-all`): cancel everything until restart. */
export interface OperatorHaltEvent {
  readonly kind: 'operatorHalt';
  readonly tsMs: number;
  readonly reason: string;
}

// ---- decisions (operators) ----

export interface AlphaEvent {
  readonly kind: 'alpha';
  readonly tsMs: number;
  readonly conditionId: string;
  readonly regime: Regime;
  readonly regimeReasons: readonly string[];
  readonly qUp: number;
  /** Under FAST_MOVE: q_up with the oracle price moved as the fast feed moved (the stale side's caps use it). */
  readonly qUpFast?: number;
  /** Which probability model priced qUp: the market's resolution rule. */
  readonly model?: 'twap' | 'firstTick';
  readonly capUp: number;
  readonly capDown: number;
  readonly targetTotal: number;
  readonly sizeScalar: number;
  readonly varPerS: number;
  /** The jumps' part of varPerS (alpha.jumpClipSd; 0 when off). */
  readonly jumpVarPerS?: number;
  readonly driftPerS: number;
}

/**
 * A market's settlement facts as they become known: its rule, the price to beat and where it came
 * from, later the final price and the winner by the bot's own figures. `gammaDiff` is Gamma's
 * published price to beat minus ours; `problem` why the market is not quoted on these grounds.
 */
export interface SettlementEvent {
  readonly kind: 'settlement';
  readonly tsMs: number;
  readonly conditionId: string;
  readonly slug: string;
  readonly rule: 'twap' | 'firstTick' | 'unknown';
  readonly lookbackS?: number;
  readonly priceToBeat?: number;
  readonly priceToBeatSource?: 'venueTwap' | 'ownTwap' | 'tick' | 'gamma';
  readonly finalPrice?: number;
  readonly winner?: Outcome;
  readonly gammaPriceToBeat?: number;
  readonly gammaDiff?: number;
  readonly gammaFinalPrice?: number;
  readonly gammaFinalDiff?: number;
  readonly problem?: string;
}

export interface DecisionEvent {
  readonly kind: 'decision';
  readonly tsMs: number;
  readonly desired: DesiredOrderSet;
}

export interface TakerDecisionEvent {
  readonly kind: 'taker';
  readonly tsMs: number;
  readonly intent: TakerIntent;
}

export interface HaltEvent {
  readonly kind: 'halt';
  readonly tsMs: number;
  /** Empty when trading may resume. */
  readonly reasons: readonly GlobalHalt[];
}

// ---- sink reports ----

export interface ExecutionEvent {
  readonly kind: 'execution';
  readonly tsMs: number;
  readonly conditionId: string;
  readonly action: 'post' | 'cancel' | 'cancelAll' | 'taker' | 'merge' | 'redeem';
  readonly ok: boolean;
  readonly orderId?: string;
  readonly tokenId?: string;
  readonly price?: number;
  readonly size?: number;
  readonly orderType?: OrderType;
  readonly error?: string;
  readonly latencyMs?: number;
}

export type InputEvent =
  | MarketEvent
  | BookEvent
  | TickSizeEvent
  | LastTradeEvent
  | BestBidAskEvent
  | MarketResolvedEvent
  | OrderEvent
  | FillEvent
  | TradeStatusEvent
  | PriceEvent
  | ClockEvent
  | ConnectionEvent
  | StaleEvent
  | HeartbeatEvent
  | PositionEvent
  | SkipEvent
  | OperatorHaltEvent
  /** Our own merges on chain, fed back: merged sets leave the quoting inventory. */
  | InventoryOpEvent;

/**
 * One step of a merge or redemption on chain (src/sinks/chainSink.ts): `sent` is written before the
 * signed transaction goes out (its hash and raw bytes, public once broadcast), `done` / `failed` after
 * its receipt. The event log's copy makes each action id execute at most once, across restarts too.
 */
export interface InventoryOpEvent {
  readonly kind: 'inventoryOp';
  readonly tsMs: number;
  readonly id: string;
  readonly action: 'merge' | 'redeem';
  readonly conditionId: string;
  readonly phase: 'sent' | 'done' | 'failed';
  /** Merge: full sets asked (shares). */
  readonly sets?: number;
  readonly txHash?: string;
  readonly raw?: string;
  /** A deposit wallet batch's `sent`: the wallet nonce it is signed with (how a crash finds it again). */
  readonly walletNonce?: string;
  readonly gasUsed?: number;
  /** Collateral received (USDC): the merged sets, or the redemption's payout. */
  readonly proceedsUsdc?: number;
  readonly error?: string;
}

/**
 * A market's PnL once it is settled (resolved, and redeemed when anything was held): the resolver's
 * per-market row (src/resolver/marketPnl.ts) and the run's running total of realized PnL.
 */
export interface MarketPnlEvent {
  readonly kind: 'marketPnl';
  readonly tsMs: number;
  readonly conditionId: string;
  readonly slug: string;
  readonly winner?: Outcome;
  readonly fills: number;
  readonly spreadCapturedUsdc: number;
  readonly mergeProceedsUsdc: number;
  readonly redemptionUsdc: number;
  readonly feesUsdc: number;
  readonly rebatesUsdc: number;
  readonly merges: number;
  readonly redemptions: number;
  readonly realizedPnlUsdc: number;
  readonly totalRealizedUsdc: number;
}

export type DecisionEventUnion = AlphaEvent | DecisionEvent | TakerDecisionEvent | HaltEvent | SettlementEvent;

export type BotEvent = InputEvent | DecisionEventUnion | ExecutionEvent | InventoryOpEvent | MarketPnlEvent;

export type EventKind = BotEvent['kind'];
