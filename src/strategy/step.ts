// The strategy as one pure step: input event in, updated state and decisions out. The RxJS
// operator around it is a scan; marble tests and replay drive this same function.
import type { Config } from '../config/schema.js';
import type {
  AlphaEvent,
  DecisionEvent,
  HaltEvent,
  InputEvent,
  SettlementEvent,
  TakerDecisionEvent,
} from '../domain/index.js';
import { resolutionOverdue, settlementEventOf, settlementKey } from './settlementEvent.js';
import { applyChurn, EMPTY_CHURN, type ChurnState } from './churn.js';
import { dormantReason, evaluateMarket, toxicityOf } from './evaluate.js';
import type { Toxicity } from '../quant/index.js';
import type { Feed, GlobalHalt } from '../domain/index.js';
import { initialState, reduce, type BotState, type StateParams } from '../state/botState.js';
import { globalHalts } from '../state/halts.js';
import { touchedMarkets } from './touched.js';
import { SmallMap } from '../state/smallMap.js';

export type StrategyEvent = AlphaEvent | DecisionEvent | TakerDecisionEvent | HaltEvent | SettlementEvent;

export interface StrategyState {
  readonly bot: BotState;
  readonly churn: ReadonlyMap<string, ChurnState>;
  readonly lastAlpha: ReadonlyMap<string, AlphaEvent>;
  readonly lastTakerMs: ReadonlyMap<string, number>;
  readonly halts: readonly GlobalHalt[];
  /** The last settlement facts reported per market (settlementKey). */
  readonly lastSettlement?: ReadonlyMap<string, string>;
}

/** Starting state; quoting waits for the required feeds' first connection. */
export function initialStrategy(requiredFeeds?: readonly Feed[]): StrategyState {
  const bot = initialState(requiredFeeds);
  return {
    bot,
    churn: SmallMap.empty(),
    lastAlpha: SmallMap.empty(),
    lastTakerMs: SmallMap.empty(),
    halts: globalHalts(bot),
  };
}

export function stateParams(cfg: Config): StateParams {
  return {
    settlementSource: cfg.prices.settlementSource,
    fastSource: cfg.prices.fastSource,
    ewmaHalfLifeS: cfg.alpha.ewmaHalfLifeS,
    basisHalfLifeS: cfg.alpha.basisHalfLifeS,
    varPriorPerS: cfg.alpha.varPriorPerS,
    ...(cfg.alpha.jumpClipSd > 0
      ? { volJumps: { clipSd: cfg.alpha.jumpClipSd, halfLifeS: cfg.alpha.jumpHalfLifeS } }
      : {}),
    fastMoveWindowMs: cfg.alpha.fastMoveWindowMs,
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

const EMPTY_SETTLEMENTS = SmallMap.empty<string>();

export function strategyStep(
  s: StrategyState,
  ev: InputEvent,
  cfg: Config,
  params: StateParams = stateParams(cfg),
): { state: StrategyState; out: StrategyEvent[] } {
  const bot = reduce(s.bot, ev, params);
  // Nothing the decisions depend on changed (a duplicate, an ignored or informational event).
  if (bot === s.bot) return { state: s, out: [] };
  // Informational inputs decide nothing, unless the time they carry moved a halt (a heartbeat grace
  // running out, a suspect price's hold ending): `s.halts` stays globalHalts(s.bot).
  if ((ev.kind === 'skip' || ev.kind === 'lastTrade' || ev.kind === 'bestBidAsk') && haltInputsSame(s.bot, bot))
    return {
      state: {
        bot,
        churn: s.churn,
        lastAlpha: s.lastAlpha,
        lastTakerMs: s.lastTakerMs,
        halts: s.halts,
        lastSettlement: s.lastSettlement,
      },
      out: [],
    };
  const out: StrategyEvent[] = [];
  const computed = haltInputsSame(s.bot, bot) ? s.halts : globalHalts(bot);
  const haltsMoved = !sameHalts(computed, s.halts);
  const halts = haltsMoved ? computed : s.halts;
  if (haltsMoved) out.push({ kind: 'halt', tsMs: bot.nowMs, reasons: computed });
  // Only the markets this input can affect are evaluated (src/strategy/touched.ts).
  const scope = haltsMoved ? 'all' : touchedMarkets(s.bot, bot, ev);
  const evaluated = (id: string): boolean => scope === 'all' || scope === id;
  // Computed once, and only when a market is evaluated (most book updates evaluate none).
  let tox: Toxicity | undefined;
  // Copied on write only: an unchanged map is shared with the previous state.
  let churn = SmallMap.of(s.churn);
  let lastAlpha = SmallMap.of(s.lastAlpha);
  let lastTakerMs = SmallMap.of(s.lastTakerMs);
  let lastSettlement = SmallMap.of(s.lastSettlement ?? EMPTY_SETTLEMENTS);
  const markets = SmallMap.of(bot.markets);
  const before = SmallMap.of(s.bot.markets);
  // The same markets in the same places (every input but discovery): the previous one by position.
  const aligned = markets.sameKeys(before);
  // Every market's settlement facts (cheap: identity checks), since time alone can make one overdue.
  for (let i = 0; i < markets.size; i++) {
    const id = markets.keyAt(i);
    const m = markets.valueAt(i);
    const was = aligned ? before.valueAt(i) : before.get(id);
    // Also when the market turns overdue (unresolved past its end): that changes nothing in its state.
    const turnedOverdue =
      resolutionOverdue(m, bot.nowMs, cfg.market.resolutionOverdueMs) &&
      !resolutionOverdue(m, s.bot.nowMs, cfg.market.resolutionOverdueMs);
    // Its settlement facts read only its identity, settlement and resolution (a book or an order
    // changes none of them); time alone changes them by turning it overdue.
    if (
      !was ||
      m.market !== was.market ||
      m.settlement !== was.settlement ||
      m.resolved !== was.resolved ||
      turnedOverdue
    ) {
      const se = settlementEventOf(m, bot.nowMs, cfg.market.resolutionOverdueMs);
      const key = settlementKey(se);
      if (lastSettlement.get(id) !== key) {
        lastSettlement = lastSettlement.with(id, key);
        out.push(se);
      }
    }
    if (!evaluated(id)) continue;
    // A market outside its trading interval with nothing of ours in it, already told to quote
    // nothing for the same reason: a global input cannot change that (its q_up is not reported again).
    if (scope === 'all' && isQuiet(churn.get(id), dormantReason(bot, m, cfg, halts))) continue;
    tox ??= toxicityOf(bot, cfg);
    const e = evaluateMarket(bot, m, cfg, tox, halts);
    if (alphaChanged(e.alpha, lastAlpha.get(id))) {
      lastAlpha = lastAlpha.with(id, e.alpha);
      out.push(e.alpha);
    }
    const c = applyChurn(churn.get(id) ?? EMPTY_CHURN, e.desired, e.limits, m.tickSize, cfg.churn);
    // Most evaluations leave the churn state as it was: no copy then.
    churn = churn.with(id, c.state);
    if (c.emit) out.push({ kind: 'decision', tsMs: bot.nowMs, desired: c.emit });
    if (e.taker && bot.nowMs - (lastTakerMs.get(id) ?? -Infinity) >= TAKER_GAP_MS) {
      lastTakerMs = lastTakerMs.with(id, bot.nowMs);
      out.push({ kind: 'taker', tsMs: bot.nowMs, intent: e.taker });
    }
  }
  // Markets leave the state only on discovery events (src/state/botState.ts): forget them here too.
  if (ev.kind === 'market') {
    const prune = <V>(map: SmallMap<V>): SmallMap<V> => map.filter((_, id) => bot.markets.has(id));
    churn = prune(churn);
    lastAlpha = prune(lastAlpha);
    lastTakerMs = prune(lastTakerMs);
    lastSettlement = prune(lastSettlement);
  }
  return { state: { bot, churn, lastAlpha, lastTakerMs, halts, lastSettlement }, out };
}

/** The last set passed on quotes nothing, for the reason a dormant market would now give. */
function isQuiet(churn: ChurnState | undefined, reason: string | undefined): boolean {
  const sent = churn?.sent;
  return reason !== undefined && sent !== undefined && sent.orders.length === 0 && sent.reason === reason;
}

/** Nothing globalHalts reads changed (most inputs: books, orders), so the halts are the previous ones. */
function haltInputsSame(a: BotState, b: BotState): boolean {
  const until = b.prices.suspectUntilMs;
  return (
    a.health === b.health &&
    a.risk === b.risk &&
    a.prices === b.prices &&
    a.operatorHalt === b.operatorHalt &&
    (until === undefined || a.nowMs < until === b.nowMs < until)
  );
}

/** The same halt reasons in the same order (what `join()` compared, without building strings). */
function sameHalts(a: readonly GlobalHalt[], b: readonly GlobalHalt[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
