// REFERENCE (tests only): the strategy step as it was before the incremental step (commit 0bc3ee2),
// copying every map, over the reference reducer (./botState.ts, unbounded closedOrders), with one
// edit: a market is evaluated only when the input touches it (touchedMarkets, the rule the
// optimised step follows). test/strategy/incremental.test.ts checks the optimised step against it.
import type { GlobalHalt } from '../../../src/domain/halts.js';
import type { Config } from '../../../src/config/schema.js';
import type {
  AlphaEvent,
  DecisionEvent,
  HaltEvent,
  InputEvent,
  SettlementEvent,
  TakerDecisionEvent,
} from '../../../src/domain/index.js';
import { resolutionOverdue, settlementEventOf, settlementKey } from '../../../src/strategy/settlementEvent.js';
import { applyChurn, EMPTY_CHURN, type ChurnState } from '../../../src/strategy/churn.js';
import { dormantReason, evaluateMarket, toxicityOf } from '../../../src/strategy/evaluate.js';
import type { Feed } from '../../../src/domain/index.js';
import { globalHalts, initialState, reduce, type BotState, type StateParams } from './botState.js';
import { touchedMarkets } from '../../../src/strategy/touched.js';
import type { BotState as SrcBotState, MarketState as SrcMarketState } from '../../../src/state/botState.js';

export type StrategyEvent = AlphaEvent | DecisionEvent | TakerDecisionEvent | HaltEvent | SettlementEvent;

export interface StrategyState {
  readonly bot: BotState;
  readonly churn: ReadonlyMap<string, ChurnState>;
  readonly lastAlpha: ReadonlyMap<string, AlphaEvent>;
  readonly lastTakerMs: ReadonlyMap<string, number>;
  readonly halts: readonly string[];
  /** The last settlement facts reported per market (settlementKey). */
  readonly lastSettlement?: ReadonlyMap<string, string>;
}

/** Starting state; quoting waits for the required feeds' first connection. */
export function initialStrategy(requiredFeeds?: readonly Feed[]): StrategyState {
  const bot = initialState(requiredFeeds);
  return {
    bot,
    churn: new Map(),
    lastAlpha: new Map(),
    lastTakerMs: new Map(),
    halts: globalHalts(bot) as GlobalHalt[],
  };
}

export function stateParams(cfg: Config): StateParams {
  return {
    settlementSource: cfg.prices.settlementSource,
    fastSource: cfg.prices.fastSource,
    ewmaHalfLifeS: cfg.alpha.ewmaHalfLifeS,
    varPriorPerS: cfg.alpha.varPriorPerS,
    ...(cfg.alpha.jumpClipSd > 0
      ? { volJumps: { clipSd: cfg.alpha.jumpClipSd, halfLifeS: cfg.alpha.jumpHalfLifeS } }
      : {}),
    fastMoveWindowMs: cfg.alpha.fastMoveWindowMs,
    basisHalfLifeS: cfg.alpha.basisHalfLifeS,
    settlement: cfg.resolution,
    suspectHoldMs: cfg.prices.suspectHoldMs,
    keepAfterEndMs: 120_000,
    dailyLossLimitUsdc: cfg.risk.dailyLossLimitUsdc,
    heartbeatGraceMs: cfg.heartbeat.graceMs,
  };
}

/** Worth reporting: a regime change, q_up moved by 0.005, or a cap or the target moved. */
function alphaChanged(a: AlphaEvent, b: AlphaEvent | undefined): boolean {
  return (
    !b ||
    a.regime !== b.regime ||
    Math.abs(a.qUp - b.qUp) >= 0.005 ||
    a.capUp !== b.capUp ||
    a.capDown !== b.capDown ||
    a.targetTotal !== b.targetTotal
  );
}

/** Minimum gap between two taker intents for one market (the sink also runs one at a time). */
const TAKER_GAP_MS = 2_000;

export function strategyStep(
  s: StrategyState,
  ev: InputEvent,
  cfg: Config,
  params: StateParams = stateParams(cfg),
): { state: StrategyState; out: StrategyEvent[] } {
  const bot = reduce(s.bot, ev, params);
  // Nothing the decisions depend on changed (a duplicate, an ignored or informational event).
  if (bot === s.bot) return { state: s, out: [] };
  if (ev.kind === 'skip' || ev.kind === 'lastTrade' || ev.kind === 'bestBidAsk')
    return { state: { ...s, bot }, out: [] };
  const out: StrategyEvent[] = [];
  const halts = globalHalts(bot) as GlobalHalt[];
  let haltsNow = s.halts;
  if (halts.join() !== s.halts.join()) {
    out.push({ kind: 'halt', tsMs: bot.nowMs, reasons: halts });
    haltsNow = halts;
  }
  const tox = toxicityOf(bot as unknown as SrcBotState, cfg);
  const churn = new Map(s.churn);
  // Copied only when they change (most events move neither).
  let lastAlpha = s.lastAlpha as Map<string, AlphaEvent>;
  let lastTakerMs = s.lastTakerMs as Map<string, number>;
  let lastSettlement = (s.lastSettlement ?? new Map()) as Map<string, string>;
  const scope =
    halts.join() !== s.halts.join()
      ? 'all'
      : touchedMarkets(s.bot as unknown as SrcBotState, bot as unknown as SrcBotState, ev);
  for (const [id, m] of bot.markets) {
    type SrcMarket = Parameters<typeof settlementEventOf>[0];
    const overdueMs = cfg.market.resolutionOverdueMs;
    const turnedOverdue =
      resolutionOverdue(m as unknown as SrcMarket, bot.nowMs, overdueMs) &&
      !resolutionOverdue(m as unknown as SrcMarket, s.bot.nowMs, overdueMs);
    if (m !== s.bot.markets.get(id) || turnedOverdue) {
      const se = settlementEventOf(m as unknown as SrcMarket, bot.nowMs, overdueMs);
      const key = settlementKey(se);
      if (lastSettlement.get(id) !== key) {
        lastSettlement = new Map(lastSettlement).set(id, key);
        out.push(se);
      }
    }
    if (scope !== 'all' && scope !== id) continue;
    // The same dormant-market rule (its soundness is tested on its own in incremental.test.ts).
    const dormant = dormantReason(bot as unknown as SrcBotState, m as unknown as SrcMarketState, cfg, halts);
    const sent = churn.get(id)?.sent;
    if (scope === 'all' && dormant !== undefined && sent?.orders.length === 0 && sent.reason === dormant) continue;
    const e = evaluateMarket(
      bot as unknown as SrcBotState,
      m as unknown as Parameters<typeof evaluateMarket>[1],
      cfg,
      tox,
      halts,
    );
    if (alphaChanged(e.alpha, lastAlpha.get(id))) {
      lastAlpha = new Map(lastAlpha).set(id, e.alpha);
      out.push(e.alpha);
    }
    const c = applyChurn(churn.get(id) ?? EMPTY_CHURN, e.desired, e.limits, m.tickSize, cfg.churn);
    churn.set(id, c.state);
    if (c.emit) out.push({ kind: 'decision', tsMs: bot.nowMs, desired: c.emit });
    if (e.taker && bot.nowMs - (lastTakerMs.get(id) ?? -Infinity) >= TAKER_GAP_MS) {
      lastTakerMs = new Map(lastTakerMs).set(id, bot.nowMs);
      out.push({ kind: 'taker', tsMs: bot.nowMs, intent: e.taker });
    }
  }
  for (const id of churn.keys()) {
    if (bot.markets.has(id)) continue;
    churn.delete(id);
    if (lastAlpha.has(id)) (lastAlpha = new Map(lastAlpha)).delete(id);
    if (lastTakerMs.has(id)) (lastTakerMs = new Map(lastTakerMs)).delete(id);
  }
  for (const id of lastSettlement.keys())
    if (!bot.markets.has(id)) (lastSettlement = new Map(lastSettlement)).delete(id);
  return { state: { bot, churn, lastAlpha, lastTakerMs, halts: haltsNow, lastSettlement }, out };
}
