// One market's decision from the bot state (pure): alpha (volatility, q_up, regime, caps, target
// total), the desired order set, and a taker completion intent when unpaired inventory calls for one.
import type { Config } from '../config/schema.js';
import type { AlphaEvent, DesiredOrderSet, TakerIntent } from '../domain/index.js';
import {
  bestBidWithoutOrders,
  cancellingHalts,
  resolutionOf,
  type GlobalHalt,
  type HaltReason,
  tokenOf,
  type Book,
  type BookTop,
  type Outcome,
} from '../domain/index.js';
import {
  classifyToxicity,
  completionOrder,
  takerSpend,
  feeCurveOf,
  qUp,
  quoteCaps,
  qUpTwap,
  quoteMarket,
  targetTotal,
  twapOf,
  unpairedShares,
  type Toxicity,
  type CompletionParams,
} from '../quant/index.js';
import { type BotState, type MarketState } from '../state/botState.js';
import { globalHalts, marketHalts } from '../state/halts.js';

export interface Limits {
  readonly capUp: number;
  readonly capDown: number;
  readonly targetTotal: number;
}

export interface Evaluation {
  readonly alpha: AlphaEvent;
  readonly desired: DesiredOrderSet;
  readonly limits: Limits;
  readonly taker?: TakerIntent;
}

export function toxicityOf(s: BotState, cfg: Config): Toxicity {
  const windowStart = s.prices.fastWindow[0];
  return classifyToxicity(
    {
      nowMs: s.nowMs,
      varPerS: s.prices.ewma.varPerS,
      oracleSilent: s.health.stale.has('prices'),
      ...(s.prices.settlement ? { chainlink: s.prices.settlement } : {}),
      ...(s.prices.fast ? { binance: s.prices.fast } : {}),
      ...(windowStart ? { binanceWindowStart: windowStart } : {}),
    },
    cfg.alpha,
  );
}

export function evaluateMarket(
  s: BotState,
  m: MarketState,
  cfg: Config,
  tox: Toxicity = toxicityOf(s, cfg),
  halts: readonly GlobalHalt[] = globalHalts(s),
): Evaluation {
  const { market } = m;
  const nowMs = s.nowMs;
  const { ewma, settlement } = s.prices;
  const tauS = Math.max(0, (market.endMs - nowMs) / 1000);
  const varPerS = Math.max(ewma.varPerS, cfg.alpha.varFloorPerS);
  const muPerS = cfg.alpha.driftWeight * ewma.driftPerS;
  const rule = resolutionOf(market);
  // Inside a TWAP market's averaging window its observed part is fixed: the average of our own ticks so far.
  const knownAvg =
    rule.rule === 'twap' && tauS < rule.lookbackS
      ? twapOf(s.prices.settlementHistory, nowMs, rule.lookbackS * 1000 - tauS * 1000)
      : undefined;
  /** P(Up) by the market's resolution rule, with the settlement price at `spot`. */
  const priced = (s0: number, spot: number): number =>
    rule.rule === 'twap'
      ? qUpTwap({
          s0,
          spot,
          tauS,
          lookbackS: rule.lookbackS,
          muPerS,
          varPerS,
          ...(knownAvg !== undefined ? { knownAvg } : {}),
        })
      : qUp(s0, spot, tauS, muPerS, varPerS);
  const q = m.s0 !== undefined && settlement ? priced(m.s0, settlement.price) : 0.5;
  // alpha.fastAnchor first (once the basis is known), else FAST_MOVE's projection, else alpha.fastBand's.
  const projected =
    (cfg.alpha.fastAnchor && !tox.flags.staleBinance ? basisProjection(s) : undefined) ??
    (tox.flags.fastMove && cfg.alpha.fastMoveReprice
      ? fastProjection(s)
      : cfg.alpha.fastBand && !tox.flags.staleBinance
        ? laggedProjection(s, cfg.alpha.oracleLagMs)
        : undefined);
  const qFast = m.s0 !== undefined && projected !== undefined ? priced(m.s0, projected) : undefined;
  // The move a resting quote may meet before it is re-priced: one standard deviation over the exposure.
  const exposure = Math.sqrt(varPerS * cfg.alpha.exposureS);
  const qBand: [number, number] | undefined =
    m.s0 !== undefined && settlement && exposure > 0
      ? [priced(m.s0, settlement.price * Math.exp(-exposure)), priced(m.s0, settlement.price * Math.exp(exposure))]
      : undefined;
  const total = targetTotal(tox.flags, ewma.varPerS, cfg.targetTotal);
  const tick = m.tickSize;
  const tickedMarket = tick === market.tickSize ? market : { ...market, tickSize: tick };
  const quoteParams = {
    cutoffMs: cfg.cutoffMs,
    requiredEdge: cfg.alpha.requiredEdge,
    ladder: cfg.ladder,
    skew: cfg.skew,
    pairCostCap: cfg.skew.pairCostCap,
  };
  const caps = quoteCaps(
    {
      qUp: q,
      ...(qFast !== undefined ? { qUpFast: qFast } : {}),
      ...(qBand !== undefined ? { qUpBand: qBand } : {}),
      targetTotal: total,
      inventory: m.inventory,
      market: tickedMarket,
    },
    quoteParams,
  );
  const alpha: AlphaEvent = {
    kind: 'alpha',
    tsMs: nowMs,
    conditionId: market.conditionId,
    regime: tox.regime,
    regimeReasons: tox.reasons,
    qUp: q,
    ...(qFast !== undefined ? { qUpFast: qFast } : {}),
    model: rule.rule === 'twap' ? 'twap' : 'firstTick',
    capUp: caps.capUp,
    capDown: caps.capDown,
    targetTotal: total,
    sizeScalar: tox.sizeScalar,
    varPerS: ewma.varPerS,
    jumpVarPerS: ewma.jumpVarPerS,
    driftPerS: ewma.driftPerS,
  };
  // Quote against the others' book: our own bids are not a level to improve on.
  const bookUp = m.bookUp && othersTop(m, m.bookUp, 'up', tick);
  const bookDown = m.bookDown && othersTop(m, m.bookDown, 'down', tick);
  const desired = quoteMarket(
    {
      nowMs,
      market: tickedMarket,
      qUp: q,
      ...(qFast !== undefined ? { qUpFast: qFast } : {}),
      ...(qBand !== undefined ? { qUpBand: qBand } : {}),
      toxicity: tox,
      targetTotal: total,
      inventory: m.inventory,
      halts: quoteHalts(s, m, cfg, halts),
      ...(tox.flags.fastMove && cfg.alpha.fastMovePull ? staleSide(s) : {}),
      ...(bookUp ? { bookUp } : {}),
      ...(bookDown ? { bookDown } : {}),
    },
    quoteParams,
  );
  const limits = { capUp: caps.capUp, capDown: caps.capDown, targetTotal: total };
  // The completing leg's fair value: every estimate we have (oracle, fast move, fast feed over the
  // oracle's lag), the one least favourable to the token bought. Only worked out when a leg may be due.
  const fairOf = (): { up: number; down: number } | undefined => {
    if (m.s0 === undefined || !settlement) return undefined;
    const lagged = laggedProjection(s, cfg.alpha.oracleLagMs);
    const qs = [q, ...(qFast !== undefined ? [qFast] : []), ...(lagged !== undefined ? [priced(m.s0, lagged)] : [])];
    return { up: Math.min(...qs), down: 1 - Math.max(...qs) };
  };
  const mayTake = halts.length === 0 && cfg.taker.enabled && Math.abs(unpairedShares(m.inventory)) >= market.minSize;
  const taker = mayTake ? takerIntent(m, nowMs, cfg, fairOf) : undefined;
  return { alpha, desired, limits, ...(taker ? { taker } : {}) };
}

/** The halts that pause a market's quotes. Freeze-only halts keep them: the execution sink sends no new order while they last. */
function quoteHalts(s: BotState, m: MarketState, cfg: Config, halts: readonly GlobalHalt[]): HaltReason[] {
  return [
    ...cancellingHalts(halts),
    ...marketHalts(m),
    ...(s.prices.ewma.samples < cfg.alpha.minVolSamples ? ['vol_warmup' as const] : []),
  ];
}

/**
 * A market before its start or after its end with no order of ours (and, before its start, nothing
 * unpaired to complete): its evaluation can only say "quote nothing", for the reason returned
 * (quoteMarket's pause reason), and take nothing. Undefined for any other market.
 */
export function dormantReason(
  s: BotState,
  m: MarketState,
  cfg: Config,
  halts: readonly GlobalHalt[],
): string | undefined {
  const { startMs, endMs, minSize } = m.market;
  const before = s.nowMs < startMs;
  if (m.orders.size > 0 || !(before || s.nowMs >= endMs)) return undefined;
  if (before && Math.abs(unpairedShares(m.inventory)) >= minSize) return undefined;
  const hs = quoteHalts(s, m, cfg, halts);
  // In quoteMarket's pauseReason order: halts, then the cutoff, then the start.
  return hs.length > 0 ? hs.join(',') : s.nowMs >= endMs - cfg.cutoffMs ? 'cutoff' : 'not_started';
}

/**
 * The settlement price moved as the fast feed moved over the fast-move window. The oracle lags the
 * fast feed by 1-4 s, less than the window, so this over- rather than under-states what the oracle
 * has not shown yet; it only ever lowers the stale side's cap. Ratios cancel the feeds' basis.
 */
function fastProjection(s: BotState): number | undefined {
  const { settlement, fast, fastWindow } = s.prices;
  const from = fastWindow[0];
  if (!settlement || !fast || !from || !(from.price > 0) || !(fast.price > 0)) return undefined;
  return settlement.price * (fast.price / from.price);
}

/** Under FAST_MOVE: the token whose value the move lowers (a fall makes Up bids stale, a rise Down bids). */
function staleSide(s: BotState): { pull: Outcome } | Record<string, never> {
  const { fast, fastWindow } = s.prices;
  const from = fastWindow[0];
  if (!fast || !from || fast.price === from.price) return {};
  return { pull: fast.price < from.price ? 'up' : 'down' };
}

/** The fast price at the settlement feed's level (alpha.fastAnchor): where the oracle is heading. */
function basisProjection(s: BotState): number | undefined {
  const { fast, basis } = s.prices;
  return fast && basis && fast.price > 0 ? fast.price * Math.exp(basis.logRatio) : undefined;
}

/**
 * Outside fast moves (alpha.fastBand): the settlement price moved as the fast feed moved over the
 * oracle's usual lag, so each side is also capped by where the oracle is about to be. Informed flow
 * prices off the fast feed and picks off bids that are stale by a few seconds of BTC moves.
 */
function laggedProjection(s: BotState, lagMs: number): number | undefined {
  const { settlement, fast, fastWindow } = s.prices;
  if (!settlement || !fast || !(fast.price > 0)) return undefined;
  let from: number | undefined;
  for (const p of fastWindow) if (p.tsMs <= fast.tsMs - lagMs) from = p.price;
  return from !== undefined && from > 0 ? settlement.price * (fast.price / from) : undefined;
}

/** The top of the others' book (`topOf` of the book without our own bids, without building that book). */
const othersTop = (m: MarketState, book: Book, outcome: Outcome, tickSize: number): BookTop => ({
  bestBid: bestBidWithoutOrders(book, m.orders, outcome),
  bestAsk: book.asks[0]?.price,
  tickSize,
  tsMs: book.tsMs,
});

/** The completion rule's parameters, made once per config (not per evaluation). */
const TAKER_PARAMS = new WeakMap<Config, readonly [CompletionParams, CompletionParams]>();
function takerParams(cfg: Config, legAtFair: boolean): CompletionParams {
  let p = TAKER_PARAMS.get(cfg);
  if (!p) {
    const base = { ...cfg.taker, minEdge: cfg.alpha.requiredEdge };
    p = [
      { ...base, legAtFair: false },
      { ...base, legAtFair: true },
    ];
    TAKER_PARAMS.set(cfg, p);
  }
  return p[legAtFair ? 1 : 0];
}

function takerIntent(
  m: MarketState,
  nowMs: number,
  cfg: Config,
  fairOf: () => { readonly up: number; readonly down: number } | undefined,
): TakerIntent | undefined {
  const { market } = m;
  const order = (fair?: { readonly up: number; readonly down: number }, legAtFair = false) =>
    completionOrder(
      {
        nowMs,
        cutoffMs: market.endMs - cfg.cutoffMs,
        inventory: m.inventory,
        tick: m.tickSize,
        minSize: market.minSize,
        curve: feeCurveOf(market.feeSchedule),
        ...(m.bookUp?.asks[0] ? { bestAskUp: m.bookUp.asks[0].price } : {}),
        ...(m.bookDown?.asks[0] ? { bestAskDown: m.bookDown.asks[0].price } : {}),
        ...(m.unpairedSinceMs !== undefined ? { unpairedSinceMs: m.unpairedSinceMs } : {}),
        ...(fair ? { fairMissing: m.inventory.up.shares > m.inventory.down.shares ? fair.down : fair.up } : {}),
      },
      takerParams(cfg, legAtFair),
    );
  // The pair rule first; the leg's fair value is worked out only when it would take.
  const byPair = order();
  const c = byPair && cfg.taker.legAtFair ? order(fairOf(), true) : byPair;
  if (!c) return undefined;
  return {
    conditionId: market.conditionId,
    tokenId: tokenOf(market, c.outcome),
    outcome: c.outcome,
    side: 'BUY',
    maxPrice: c.maxPrice,
    size: c.size,
    amountUsdc: takerSpend(
      (c.outcome === 'up' ? m.bookUp : m.bookDown)?.asks ?? [],
      c.size,
      c.maxPrice,
      market.minSize,
    ),
    orderType: cfg.taker.orderType,
    reason: c.reason,
    tsMs: nowMs,
  };
}
